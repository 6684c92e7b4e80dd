"""Transactions that look entered twice (issue 12, item 4): a warning, never a fund error.

Two transactions look like one entered twice when they fall on the same day, move the same
amounts on the same accounts (with the same ``member:`` on each posting, so two visits to two
members are two) and name the same counterparty: the payee, else ``donor:``, else the
narration. Where both carry a ``bank-ref:`` (the bank's serial number, as the statement
importer writes it) it decides in place of the counterparty: the same reference is the same
bank line, two different ones are two.

    entered_twice(entries) -> [Pair(first, second)]   # one pass, keyed on what must match
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from beancount.core import data

REF_KEY = "bank-ref"  # importers.bank_csv.REF_KEY: the importer skips rows by the same key

__all__ = ["Pair", "Seen", "entered_twice", "REF_KEY"]


@dataclass(frozen=True)
class Seen:
    """One of the two transactions: where it is and what it says."""

    filename: str
    lineno: int
    summary: str

    def __str__(self) -> str:
        return f"{self.filename}:{self.lineno}: {self.summary}"


@dataclass(frozen=True)
class Pair:
    """A transaction (``second``) that looks like ``first`` entered again."""

    first: Seen
    second: Seen

    @property
    def places(self) -> tuple[tuple[str, int], tuple[str, int]]:
        return ((self.first.filename, self.first.lineno), (self.second.filename, self.second.lineno))

    def renamed(self, rename: Callable[[str], str]) -> Pair:
        return Pair(*(Seen(rename(s.filename), s.lineno, rename(s.summary))
                      for s in (self.first, self.second)))

    def new_second(self, old: set[tuple[str, int]]) -> Pair:
        """The pair with the transaction at none of the ``old`` places second (the new one)."""
        return Pair(self.second, self.first) if self.places[0] not in old else self

    def lines(self) -> list[str]:
        """The warning: what it is, then both transactions at their lines."""
        return [f"{self.second.filename}:{self.second.lineno}: 疑似重复记账：与 "
                f"{self.first.filename}:{self.first.lineno} 同日、同金额、同账户、同对方 "
                f"(looks entered twice)",
                f"  {self.first}", f"  {self.second}"]

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _postings(txn: data.Transaction) -> tuple[Any, ...]:
    return tuple(sorted(
        (p.account, p.units.number, p.units.currency, str((p.meta or {}).get("member") or ""))
        for p in txn.postings if p.units is not None and p.units.number is not None))


def _who(txn: data.Transaction) -> str:
    return str(txn.payee or (txn.meta or {}).get("donor") or txn.narration or "")


def _seen(txn: data.Transaction) -> Seen:
    meta = txn.meta or {}
    amounts = ", ".join(f"{p.account} {p.units}" for p in txn.postings
                        if p.units is not None and p.units.number is not None
                        and p.units.number > 0)
    who = f'"{txn.payee}" ' if txn.payee else ""
    return Seen(str(meta.get("filename", "<unknown>")), int(meta.get("lineno") or 0),
                f'{txn.date} {who}"{txn.narration}" {amounts}')


def entered_twice(entries: Iterable[Any]) -> list[Pair]:
    """Each transaction that repeats an earlier one (see the module doc), with that one.

    One pass: transactions are grouped by day and postings; within a group (almost always of
    one) the counterparty and the bank reference decide. Summaries made by ``pad`` are left out.
    """
    groups: dict[tuple[Any, ...], list[data.Transaction]] = {}
    pairs = []
    for entry in entries:
        if not isinstance(entry, data.Transaction) or entry.flag == "P":
            continue
        postings = _postings(entry)
        if not postings:
            continue
        group = groups.setdefault((entry.date, postings), [])
        twin = next((earlier for earlier in group if _same(earlier, entry)), None)
        if twin is not None:
            pairs.append(Pair(_seen(twin), _seen(entry)))
        group.append(entry)
    return pairs


def _same(one: data.Transaction, other: data.Transaction) -> bool:
    refs = ((one.meta or {}).get(REF_KEY), (other.meta or {}).get(REF_KEY))
    if refs[0] is not None and refs[1] is not None:
        return str(refs[0]) == str(refs[1])
    return _who(one) == _who(other)
