"""The fund's state, built in one pass over the entries (SPEC §1–§4): the stable import path.

The records live in ``records``, the pass in ``build``, the metadata readers in ``values``
and date arithmetic in ``dates``; this module names them for the code that imports them
from here.
"""

from __future__ import annotations

from .build import _Builder, build_state
from .dates import Date, add_months
from .records import (
    Account,
    Application,
    Flow,
    FundState,
    Inflow,
    Loan,
    LoanMove,
    Member,
    Opening,
    Payment,
    Position,
    Ref,
    Rejected,
    Relief,
    Review,
    Step,
)
from .values import MAX_AMOUNT, meta_of

__all__ = [
    "MAX_AMOUNT", "Account", "Application", "Date", "Flow", "FundState", "Inflow", "Loan",
    "LoanMove", "Member", "Opening", "Payment", "Position", "Ref", "Rejected", "Relief",
    "Review", "Step", "_Builder", "add_months", "build_state", "meta_of",
]
