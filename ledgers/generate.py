#!/usr/bin/env python3
"""Regenerate the four demo ledgers under ledgers/: ``python ledgers/generate.py``.

The generator is the package ledgers/gen/ (a shared writer and a module per fund); this
script runs it. The ledgers are checked by tests/test_demo_ledgers.py with the real rules.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen import main  # noqa: E402

if __name__ == "__main__":
    main()
