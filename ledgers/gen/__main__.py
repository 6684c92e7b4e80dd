"""python -m ledgers.gen: regenerate the four demo ledgers."""

from . import main

main()
