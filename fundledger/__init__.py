"""fundledger: plain-text accounting for party hardship-assistance funds (困难党员帮扶基金).

    import fundledger
    fund = fundledger.load("ledgers/county/main.beancount")
    fund.position(datetime.date(2025, 12, 31)).spendable
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .fund import Fund, LedgerNotFound, load
    from .policy import Policy
    from .state import Application, FundState, Inflow, Loan, Member, Position, Relief

__version__ = "0.1.0"
__all__ = ["Application", "Fund", "FundState", "Inflow", "LedgerNotFound", "Loan", "Member",
           "Policy", "Position", "Relief", "load"]

# Imported on first use, so that ``plugin "fundledger.plugin"`` (bean-check, Fava) loads only
# what the rules need, never the loader API or the analysts' libraries behind it.
_HOME = {"Fund": "fund", "LedgerNotFound": "fund", "load": "fund", "Policy": "policy",
         **dict.fromkeys(("Application", "FundState", "Inflow", "Loan", "Member", "Position",
                          "Relief"), "state")}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        value = getattr(import_module(f".{_HOME[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
