"""beangulp importers shipped inside the package, so Fava's import page can find them."""

from .bank_csv import BankStatementImporter

__all__ = ["BankStatementImporter"]
