"""One request's page of the Fava extension (``fundledger.fava``): which page, as of which
day, in which language, and what its template needs — every figure formatted from the fund's
one view (``fava/pages.py``, ``FundView``), nothing computed here."""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..i18n import Words
from ..money import fmt
from ..todo_rows import WORDS as TODO_WORDS
from ..todo_rows import grouped, kind_words, todo_rows
from . import pages

if TYPE_CHECKING:
    from . import FundLedger

Date = datetime.date
# the to-do list first: the page a supervisory group member opens on
PAGES = ("todo", "position", "loans", "members", "applications", "notice", "desk")
TODO_WINDOWS = (0, 30, 90)
def page_language() -> str:
    """``zh`` when Fava's locale (its ``language`` option, else the browser's) is Chinese."""
    try:
        from flask_babel import get_locale

        locale = get_locale()
    except (ImportError, RuntimeError, KeyError, AttributeError):  # outside a request
        return "zh"
    return "zh" if locale is not None and locale.language == "zh" else "en"


def _year(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


def _span(ext: FundLedger) -> tuple[Date, Date] | None:
    """The days the books cover (``FundView.span``): the first entry's day to the last's, or
    to today if later, as the command line's ``ledger_span``."""
    span = ext.fund.view.span
    return None if span is None else (span.first, span.until())


def _years(ext: FundLedger) -> range | None:
    """The years a notice may be asked for (``Span.report_years``, as ``ledger_years``)."""
    span = ext.fund.view.span
    return None if span is None else span.report_years()


def _money(value: Decimal | int | str | None) -> str:
    if value is None or value == "":
        return ""
    return fmt(value if isinstance(value, Decimal) else Decimal(str(value)))


class View:
    """One request's page: which page, as of which day, in which language, and its links."""

    def __init__(self, ext: FundLedger, args: Any):
        self.ext = ext
        self.args = args
        self.lang = page_language()
        self.t = _Words(self.lang)
        self.page = args.get("page") if args.get("page") in PAGES else "todo"
        self.problems: list[str] = []  # what was asked for and could not be shown, in words
        self.today = Date.today()
        self.explicit_as_of = _asked_day(args.get("as_of"))
        asked = self.explicit_as_of or self._time_filter_end() or self.today
        self.as_of = self._clamped(asked)
        if args.get("as_of") and self.explicit_as_of is None:
            self.problems.append(self.t("fv_bad_as_of", value=args.get("as_of"), day=self.as_of))
        if self.explicit_as_of is not None:
            self.explicit_as_of = self.as_of
        year = args.get("year")
        if year and year != "all" and _year(year) is None:
            self.problems.append(self.t("fv_bad_year", value=year))
        self.within = self._todo_within()
        self.state = ext.state

    def _clamped(self, day: Date) -> Date:
        """``day`` within the books: from the first entry's day to the last's, or today if
        later, so that ``as_of=9999-12-31`` does not build eight thousand years of months."""
        span = _span(self.ext)
        if span is None or span[0] <= day <= span[1]:
            return day
        shown = min(max(day, span[0]), span[1])
        self.problems.append(self.t("fv_as_of_clamped", asked=day, first=span[0], last=span[1],
                                    day=shown))
        return shown

    def _time_filter_end(self) -> Date | None:
        """The last day of Fava's time filter (never after today), when one is set."""
        if not self.args.get("time"):
            return None
        from fava.context import g

        try:
            date_range = g.filtered.date_range
        except Exception:  # noqa: BLE001 - a bad filter is Fava's error to show, not ours
            return None
        return min(date_range.end_inclusive, self.today) if date_range else None

    # links inside the pages keep the day asked for; Fava's url_for keeps its own filters
    def link(self, page: str | None = None, **params: Any) -> str:
        from fava.application import url_for

        values = {"page": page or self.page}
        if self.explicit_as_of:
            values["as_of"] = self.explicit_as_of.isoformat()
        values.update({k: str(v) for k, v in params.items() if v is not None})
        return url_for("extension_report", extension_name=self.ext.name, **values)

    def endpoint(self, name: str, **params: Any) -> str:
        """The URL of one of this extension's endpoints (``extension/FundLedger/<name>``)."""
        from urllib.parse import urlencode

        from fava.application import url_for

        # url_for's own first parameter is called ``endpoint``, like the route's variable
        base = url_for("extension_report", extension_name=self.ext.name).split("?")[0]
        query = urlencode({k: str(v) for k, v in params.items() if v is not None})
        return f"{base}{name}" + (f"?{query}" if query else "")

    def source(self, entry: Any) -> str | None:
        """Fava's editor at the entry's line (``editor/?file_path=…&line=…``)."""
        from fava.application import url_for

        meta = getattr(entry, "meta", None) or {}
        filename, lineno = meta.get("filename"), meta.get("lineno")
        if not isinstance(filename, str) or not isinstance(lineno, int) or filename.startswith("<"):
            return None
        if self.ext.ledger.fava_options.use_external_editor:
            return f"beancount://{filename}?lineno={lineno}"
        return url_for("report", report_name="editor", file_path=filename, line=str(lineno))

    def where(self, entry: Any) -> str:
        meta = getattr(entry, "meta", None) or {}
        return f"{Path(str(meta.get('filename', ''))).name}:{meta.get('lineno', '')}"

    def account(self, name: str) -> str:
        from fava.application import url_for

        return url_for("account", name=name)

    # words
    def status(self, status: str) -> str:
        return self.t.status(status)

    def tier(self, tier: str | None) -> str:
        if tier is None:
            return "—"
        return self.t("tier_none") if tier == "none" else self.t(tier)

    def step(self, name: str, short: bool = False) -> str:
        key = ("step_short_" if short else "step_") + name
        return self.t(key) if key in _words() else name

    def category(self, code: str | None) -> str:
        if not code:
            return ""
        key = "cat_" + code
        return self.t(key) if key in _words() else code

    def why_not(self, why: tuple[str, str] | None) -> str:
        return "" if why is None else why[0 if self.lang == "zh" else 1]

    # the pages' data
    @cached_property
    def position(self) -> pages.PositionPage:
        return pages.position_page(self.state, self.as_of)

    def chart(self) -> list[dict[str, Any]]:
        t = self.t
        return pages.chart_data(self.position, {
            "chart": t("fv_over_time"), "cash": t("fv_cash_short"),
            "loans_outstanding": t("loans_outstanding"), "principal": t("principal"),
            "spendable": t("fv_spendable_short")})

    # the to-do list (待办): FundView.todo, rows as the command line's table shows them
    def todo_within(self) -> int:
        return self.within

    def _todo_within(self) -> int:
        asked = self.args.get("within")
        try:
            within = int(asked) if asked else 30
        except ValueError:
            within = -1
        if not 0 <= within <= 3660:
            self.problems.append(self.t("todo_bad_within", value=asked))
            return 30
        return within

    @cached_property
    def todo_groups(self) -> list[tuple[str, list[dict[str, Any]]]]:
        items = self.ext.fund.view.todo(self.as_of, self.todo_within())
        return grouped(todo_rows(self.state, items, self.as_of))

    def todo_kind(self, kind: str) -> tuple[str, str, str]:
        """A kind's heading, its date's name and its days' name."""
        return kind_words(kind, self.lang)

    def todo_count(self) -> int:
        """The open items of the list (the default 30 days ahead), for the position page."""
        return len(self.ext.fund.view.todo(self.as_of, 30))

    def todo_link(self, row: dict[str, Any]) -> str:
        """Where an item is seen to: the loan's account, the member's register, the application."""
        if row["kind"].startswith("loan-"):
            return self.account("Assets:Loans:" + row["id"])
        if row["kind"] == "publicity-ends":
            return self.link("applications", app=row["id"])
        return self.link("members", member=row["id"])

    @cached_property
    def loans(self) -> pages.LoanPage:
        return pages.loan_page(self.state, self.as_of)

    LOAN_FILTERS = {"open": ("current", "overdue"), "overdue": ("overdue",),
                    "current": ("current",), "repaid": ("repaid",),
                    "written-off": ("written-off",), "all": None}

    def loan_filter(self) -> str:
        wanted = self.args.get("status", "open")
        return wanted if wanted in self.LOAN_FILTERS else "open"

    def loan_rows(self, which: str | None = None) -> list[dict[str, Any]]:
        """The loan book, by default the loans not yet repaid (current and overdue)."""
        statuses = self.LOAN_FILTERS[which or self.loan_filter()]
        rows = self.loans.rows
        return rows if statuses is None else [r for r in rows if r["status"] in statuses]

    def loan_count(self, which: str) -> int:
        return len(self.loan_rows(which))

    @staticmethod
    def totals(rows: list[dict[str, Any]], *keys: str) -> dict[str, Decimal]:
        """Exact sums of decimal-string columns of report rows."""
        return {k: sum((Decimal(r[k]) for r in rows), Decimal(0)) for k in keys}

    @cached_property
    def members(self) -> list[pages.MemberRow]:
        return pages.member_rows(self.state, self.as_of)

    def member(self) -> dict[str, Any] | None:
        from ..reports import member_register

        member_id = self.args.get("member")
        member = self.state.members.get(member_id or "")
        if member is None or member.registered > self.as_of:
            return None
        return member_register(self.state, member.id, self.as_of)

    def member_why(self, member_id: str) -> tuple[str, str] | None:
        return self.ext.fund.view.member(member_id, self.as_of).why_not

    @cached_property
    def applications(self) -> list[pages.AppRow]:
        return pages.app_rows(self.state, self.as_of)

    def app_filter(self) -> tuple[int | None, str]:
        year = self.args.get("year")
        return (None if year == "all" else _year(year) or self.as_of.year,
                self.args.get("status", "all"))

    def app_rows(self) -> list[pages.AppRow]:
        year, status = self.app_filter()
        wanted = self.args.get("app")
        rows = self.applications
        if wanted:
            return [r for r in rows if r.app.id == wanted]
        if year is not None:
            rows = [r for r in rows if r.app.date.year == year]
        if status == "open":
            rows = [r for r in rows if r.status in ("pending", "approved")]
        elif status == "missing":
            rows = [r for r in rows if r.missing and r.status != "rejected"]
        elif status == "publicity":
            rows = [r for r in rows if r.in_publicity]
        elif status in ("paid", "rejected"):
            rows = [r for r in rows if r.status == status]
        return rows

    def publicity(self) -> list[dict[str, Any]]:
        return pages.in_publicity(self.state, self.as_of)

    def years(self) -> list[int]:
        return pages.years(self.state, self.as_of)

    @cached_property
    def writable(self) -> bool:
        """Fava runs without ``--read-only``: the desk (记账) is offered."""
        from .desk import writable

        return writable()

    @cached_property
    def desk(self) -> Any:
        from .desk import Desk

        return Desk(self)

    def tabs(self) -> list[str]:
        return [p for p in PAGES if p != "desk" or self.writable]

    def notice_year(self) -> int:
        years = self.years()
        asked = _year(self.args.get("year"))
        if asked is not None and self.notice_problem() is None:
            return asked
        return self.as_of.year - 1 if self.as_of.year - 1 in years else years[-1]

    def notice_problem(self) -> str | None:
        """Why the year asked for has no notice (outside the books), naming the years."""
        from ..cli_common import year_outside

        asked = _year(self.args.get("year"))
        if asked is None:
            return None
        why = year_outside(_years(self.ext), asked)
        return None if why is None else why[0 if self.lang == "zh" else 1]

    def notice_edition(self) -> str:
        return "internal" if self.args.get("edition") == "internal" else "public"


class _Words(Words):
    """Fava's words, and the to-do list's (``todo_rows.WORDS``, keys ``todo_*``)."""

    _OWN = {"fv_nav_todo": ("待办", "To do"),
            "fv_nav_desk": ("记账", "Desk"),
            "todo_bad_within": ("天数 {value} 无效，按 30 天显示",
                                "{value} is not a number of days: 30 days shown"),
            "todo_within_label": ("未来天数", "Days ahead"),
            "todo_follow_ups": ("跟踪回访", "Follow-ups"),
            "todo_open": ("待办事项 {n} 项（未来 30 天）", "{n} things to do (next 30 days)"),
            **{"todo_" + k: v for k, v in TODO_WORDS.items()}}

    def __call__(self, key: str, **kw: object) -> str:
        pair = self._OWN.get(key)
        if pair is None:
            return super().__call__(key, **kw)
        text = pair[self.i]
        return text.format(**kw) if kw else text


def _words() -> dict[str, tuple[str, str]]:
    from ..i18n import WORDS

    return WORDS


def _asked_day(value: str | None) -> Date | None:
    """The ``as_of`` of a page's address, written as the clerks write a day (``2026-3-1``,
    ``2026/3/1``, ``2026年3月1日``: ``dates.parse_day``); None if it is none of them."""
    from ..dates import DayError, parse_day

    if not value or not value.strip():
        return None
    try:
        return parse_day(value)
    except DayError:
        return None

