"""Python's cyclic garbage collector, paused while fundledger works over a whole ledger.

A loaded ledger is millions of small objects that live as long as the fund does, and the
passes over it (the plugin, the state, the tables, the notice) make no reference cycles. Each
full collection walks the whole heap, so with the collector on, the time of any pass grows
with the size of the heap as well as with its own work: at 100k transactions the load took
1.5–1.9× as long and the notice 4–8× (docs/PERFORMANCE.md). Reference counting still frees
everything as usual; the collector is switched back on afterwards if it was on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """``with paused(): ...`` or ``@paused()`` on a function — no cyclic collection inside;
    nests; restores the caller's setting."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
