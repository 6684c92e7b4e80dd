"""The fund state the plugin built, handed to ``fundledger.load`` so it is not built twice.

``fundledger.load`` opens a ``handing_over()`` block around beancount's loader; the plugin,
running inside it, leaves its state there (``hand_over``). Outside such a block (bean-check,
Fava) the plugin keeps nothing.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .state import FundState


class Handover:
    """The state the plugin built, for ``fundledger.load`` to reuse instead of building it
    again: it is the fund's state only if the loader's final entries are, one for one, the
    entries the plugin returned (no later plugin changed them)."""

    def __init__(self) -> None:
        self.entries: list[Any] = []
        self.state: FundState | None = None

    def keep(self, entries: list[Any], state: FundState) -> None:
        self.entries, self.state = list(entries), state

    def state_for(self, entries: list[Any]) -> FundState | None:
        if self.state is None or len(entries) != len(self.entries):
            return None
        return self.state if all(map(operator.is_, entries, self.entries)) else None


_handover: ContextVar[Handover | None] = ContextVar("fundledger_handover", default=None)


@contextmanager
def handing_over() -> Iterator[Handover]:
    """``with handing_over() as h: loader.load_file(...)``; then ``h.state_for(entries)``."""
    handover = Handover()
    token = _handover.set(handover)
    try:
        yield handover
    finally:
        _handover.reset(token)


def hand_over(entries: list[Any], state: FundState) -> None:
    """Leave ``state``, built from exactly ``entries``, to the ``handing_over()`` block, if any."""
    handover = _handover.get()
    if handover is not None:
        handover.keep(entries, state)
