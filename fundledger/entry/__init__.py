"""Safe entry for finance staff: build an entry, check the ledger with it, append it atomically.

``kinds`` builds the common entries, ``format`` writes their text, ``layout`` picks the file,
``check`` loads the ledger as it would be, ``writer`` locks, checks and writes.
"""

from .format import EntryError
from .writer import Busy, Conflict, Draft, Outcome, write_entries

__all__ = ["Busy", "Conflict", "Draft", "EntryError", "Outcome", "write_entries"]
