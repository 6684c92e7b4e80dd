"""fundledger: plain-text accounting for party hardship-assistance funds (困难党员帮扶基金).

    import fundledger
    fund = fundledger.load("ledgers/county/main.beancount")
    fund.position(datetime.date(2025, 12, 31)).spendable
"""

from .fund import Fund, LedgerNotFound, load
from .policy import Policy
from .state import Application, FundState, Inflow, Loan, Member, Position, Relief

__version__ = "0.1.0"
__all__ = ["Application", "Fund", "FundState", "Inflow", "LedgerNotFound", "Loan", "Member",
           "Policy", "Position", "Relief", "load"]
