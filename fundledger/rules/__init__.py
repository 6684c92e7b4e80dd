"""The fund's rules (SPEC §5), one module per family, each rule a function named by its code.

Every rule reads the one ``FundState`` and reports through a ``Checker``; a fault inside a
rule becomes one FL000 error at the entry it was looking at, and the other rules still run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from ..errors import FundError, fund_error, internal_error
from ..records import FundState

T = TypeVar("T")


class Checker:
    def __init__(self, state: FundState):
        self.state = state
        self.errors: list[FundError] = []
        self.at: Any = None  # the entry being checked, named if a rule faults

    def each(self, items: Iterable[T], entry_of: Callable[[T], Any]) -> Iterator[T]:
        for item in items:
            self.at = entry_of(item)
            yield item

    def error(self, code: str, zh: str, en: str | None, entry: Any) -> None:
        self.errors.append(fund_error(code, zh, en, entry))


def all_rules() -> list[Callable[[Checker], None]]:
    from . import cash, loans, registry, relief, workflow

    return [*registry.RULES, *workflow.RULES, *loans.RULES, *relief.RULES, *cash.RULES]


def check(state: FundState) -> list[FundError]:
    """Every fund error of ``state``, faults of the pass and of the rules included."""
    checker = Checker(state)
    for entry, exc in state.faults:
        checker.errors.append(internal_error(entry, exc))
    for rule in all_rules():
        checker.at = None
        try:
            rule(checker)
        except Exception as exc:  # noqa: BLE001 - one error, never a traceback
            checker.errors.append(internal_error(checker.at, exc))
    return checker.errors
