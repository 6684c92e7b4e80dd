"""Date arithmetic with the SPEC's meaning (§2, §3), and reading a day as the clerks write
one (§6): one copy for the whole program."""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata

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


class DayError(ValueError):
    """A day as typed that is no date, or no day of the calendar. ``str()`` is Chinese first
    with its English in brackets (``2026-11-31：11 月只有 30 天 (…)``); ``zh`` and ``en`` apart."""

    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        super().__init__(f"{zh} ({en})")


DAY_FORMS_ZH = "2026-03-01、2026/3/1 或 2026年3月1日"
DAY_FORMS_EN = "2026-03-01, 2026/3/1 or 2026年3月1日"
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
# a four-digit year, then month and day split by one of - / . (the same twice), or 年 月 日
# (日 or 号, or nothing, at the end)
_DAY = re.compile(r"(?P<y>\d{4})(?:(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
                  r"|年(?P<m2>\d{1,2})月(?P<d2>\d{1,2})[日号]?)", re.ASCII)


def parse_day(text: str) -> Date:
    """The day ``text`` names, as the clerks write one: ``2026-03-01``, ``2026-3-1``,
    ``2026/3/1``, ``2026.3.1``, ``2026年3月1日`` (``号`` for ``日`` too), full-width digits
    and separators, spaces anywhere. ``DayError`` says what is wrong: no such form, no such
    month, or how many days the month has."""
    shown = str(text).strip()
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", shown))
    found = _DAY.fullmatch(folded)
    if found is None:
        raise DayError(f"不是日期：“{shown}”，应写成 {DAY_FORMS_ZH}",
                       f"not a date: {shown!r}; write {DAY_FORMS_EN}")
    year = int(found["y"])
    month, day = int(found["m"] or found["m2"]), int(found["d"] or found["d2"])
    if year < Date.min.year:
        raise DayError(f"{shown}：没有公元 0 年", f"{shown}: there is no year 0")
    if not 1 <= month <= 12:
        raise DayError(f"{shown}：没有 {month} 月（月份为 1–12）",
                       f"{shown}: there is no month {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        if day == 0:
            raise DayError(f"{shown}：没有 0 日（每月从 1 日起）", f"{shown}: there is no day 0")
        if month == 2:
            leap = "是闰年" if last == 29 else "不是闰年"
            raise DayError(f"{shown}：{year} 年 2 月只有 {last} 天（{year} 年{leap}）",
                           f"{shown}: February {year} has {last} days")
        raise DayError(f"{shown}：{month} 月只有 {last} 天",
                       f"{shown}: {_MONTHS_EN[month - 1]} has {last} days")
    return Date(year, month, day)
