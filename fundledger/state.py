"""The fund's state, built in one pass over the entries (SPEC §1–§4): the stable import path.

The records live in ``records``, the pass in ``build``, the metadata readers in ``values``
and date arithmetic in ``dates``; this module names them for the code that imports them
from here.
"""

from __future__ import annotations

from . import records
from .build import _Builder, build_state
from .dates import Date, add_months
from .records import *  # noqa: F403 - every record, as records.__all__ lists them
from .values import MAX_AMOUNT, meta_of

__all__ = [*records.__all__, "MAX_AMOUNT", "Date", "_Builder", "add_months", "build_state",
           "meta_of"]
