"""The generator of the four demo ledgers under ledgers/ (stdlib only, fixed seeds).

    python ledgers/generate.py        (or: python -m ledgers.gen, from the repository root)

rewrites ledgers/county/, ledgers/prefecture/, ledgers/taxbureau/ and ledgers/district/.
`writer` is the shared writer (money and dates, the story's objects, the `Book` that writes a
multi-file beancount ledger, and the `Pools` tally that sizes releases and deposit interest);
each fund has a module that tells its story: it plans members, applications, loans and
payments, then writes them. The generator checks no rules of its own: tests/test_demo_ledgers.py
loads each ledger with fundledger and bean-check and expects no errors. Edit these modules, not
the generated files; ledgers/README.md says what each fund shows.
"""

from . import county, district, prefecture, taxbureau
from .writer import run

FUNDS = {"county": county, "prefecture": prefecture, "taxbureau": taxbureau, "district": district}


def main():
    for fund in FUNDS.values():
        run(fund.build, fund.emit)
