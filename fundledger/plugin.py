"""``plugin "fundledger.plugin"``: turns every fund rule of SPEC §5 on for bean-check and Fava.

    plugin "fundledger.plugin"

    2025-06-05 * "张秀兰" "借款"                 ; FL301 借款金额 6000.00 CNY 超过上限 5000.00 CNY
      application: "A2025-003"
      Assets:Loans:L2025-003   6000.00 CNY
      Assets:Bank:Fund

The plugin leaves the entries unchanged and returns the fund errors. It never raises: a
fault inside it becomes one FL000 error at the entry it was reading.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from .errors import FundError, internal_error
from .rules import check
from .state import build_state

__plugins__ = ("fund_rules",)


def currency_of(options_map: dict[str, Any]) -> str:
    currencies = options_map.get("operating_currency") or ["CNY"]
    return currencies[0]


@cache
def rules_fingerprint() -> str:
    """A name that changes whenever fundledger's code changes (upgrade or edit)."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return str(package / f".rules-{digest.hexdigest()[:16]}")


def _key_cache_on_rules(options_map: dict[str, Any]) -> None:
    # beancount's pickle cache is keyed on the paths and mtimes in options["include"]; a
    # path naming our code's fingerprint makes a new fundledger miss every old cache entry.
    include = options_map.get("include")
    if isinstance(include, list):
        stamp = rules_fingerprint()
        if stamp not in include:
            include.append(stamp)


def fund_rules(entries: list[Any], options_map: dict[str, Any], config: Any = None
               ) -> tuple[list[Any], list[FundError]]:
    try:
        _key_cache_on_rules(options_map)
        errors = check(build_state(entries, currency_of(options_map)))
    except Exception as exc:  # noqa: BLE001 - never a traceback at <load>:0
        errors = [internal_error(None, exc)]
    return entries, errors
