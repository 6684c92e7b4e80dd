"""Date arithmetic with the SPEC's meaning (§2, §3): one copy for the whole program."""

from __future__ import annotations

import datetime

Date = datetime.date
ONE_DAY = datetime.timedelta(days=1)


def add_months(day: Date, months: int) -> Date:
    """The same calendar day ``months`` later, a month end clamped (2024-01-31 + 1 ->
    2024-02-29), as a review's validity and a loan's term are counted (SPEC §2, §3).

    Beyond the calendar it clamps to ``Date.max`` / ``Date.min``: a policy of a thousand
    years' term means "forever", not a fault.
    """
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    if year > Date.max.year:
        return Date.max
    if year < Date.min.year:
        return Date.min
    for dd in (day.day, 30, 29, 28):
        try:
            return Date(year, month, min(day.day, dd))
        except ValueError:
            continue
    raise ValueError(day)
