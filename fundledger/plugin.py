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

import sys
from pathlib import Path
from types import CodeType
from typing import Any

from .errors import FundError, internal_error, with_values
from .gcpause import paused
from .handover import _handover, hand_over, handing_over  # noqa: F401 - also reached here
from .rules import check
from .state import FundState, build_state

__plugins__ = ("fund_rules",)


@paused()  # the state makes no cycles; a full collection over the ledger costs ~30%
def fund_rules(entries: list[Any], options_map: dict[str, Any], config: Any = None
               ) -> tuple[list[Any], list[FundError]]:
    try:
        _key_cache_on_code(options_map)
        entries, state = _fund_state(entries, options_map)
        return entries, check(state)
    except Exception as exc:  # noqa: BLE001 - never a traceback at <load>:0
        return entries, [internal_error(None, exc)]


def _fund_state(entries: list[Any], options_map: dict[str, Any]
                ) -> tuple[list[Any], FundState]:
    """The entries to give back to beancount and the state the rules judge."""
    currency = currency_of(options_map)
    state = build_state(entries, currency)
    if state.valueless_customs:  # rare: only then copy the list (and build anew in load)
        entries = [with_values(e) for e in entries]
    if state.pads:
        return entries, build_state(with_padding(entries, options_map), currency)
    if not state.valueless_customs:  # built from these very entries: load may reuse it
        hand_over(entries, state)
    return entries, state


def currency_of(options_map: dict[str, Any]) -> str:
    currencies = options_map.get("operating_currency") or ["CNY"]
    return currencies[0]


def code_root() -> str:
    """The folder of fundledger's code (the package, with its subpackages)."""
    return str(Path(__file__).resolve().parent)


def _key_cache_on_code(options_map: dict[str, Any]) -> None:
    # beancount's pickle cache is reused while the names in options["include"] hash the same;
    # it lists only the files the load read. One more name, fundledger.cachekey's CacheKey,
    # makes it also depend on fundledger's code, on what every include glob matches and on
    # the files' inodes and ctimes, recomputed whenever beancount checks the cache.
    # Only a load that goes through the cache needs it: Fava loads uncached and lists
    # options["include"] as the ledger's source files, which the key is not.
    include = options_map.get("include")
    if not isinstance(include, list):
        return
    through, started = _loading_through_the_cache()
    if not through:
        return
    from .cachekey import CacheKey, key_for

    files = [name for name in include if not isinstance(name, CacheKey)]
    include[:] = [*files, key_for(files, code_root(), started)]


def _cache_wrapper_code() -> CodeType | None:
    """The code of the function beancount's ``pickle_cache_function`` wraps a loader in."""
    from beancount import loader

    found = [const for const in loader.pickle_cache_function.__code__.co_consts
             if isinstance(const, CodeType) and const.co_name == "wrapped"]
    return found[0] if len(found) == 1 else None


def _loading_through_the_cache() -> tuple[bool, int | None]:
    """Whether this plugin runs inside a load whose result beancount may pickle, and when
    that load began (ns since the epoch; None if unknown)."""
    wrapper = _cache_wrapper_code()
    if wrapper is None:  # a beancount we do not know: key the cache all the same
        return True, None
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code is wrapper:
            started = frame.f_locals.get("time_before")
            return True, int(started * 1e9) if isinstance(started, float) else None
        frame = frame.f_back
    return False, None


def with_padding(entries: list[Any], options_map: dict[str, Any]) -> list[Any]:
    """The entries with the money ``pad`` directives add. beancount runs its pad plugin after
    every user plugin, so without this the rules would judge a cash account without its
    padded opening balance, while every report (built on the loaded entries) has it. Only
    the rules see these transactions; the entries returned to beancount are unchanged, and
    its own pad plugin reports any problem with a ``pad``."""
    from beancount.ops import pad

    padded, _ = pad.pad(entries, options_map)
    return padded
