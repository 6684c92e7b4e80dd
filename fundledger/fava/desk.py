"""The finance office's desk in Fava (记账) and its HTTP entry endpoint (issue 14, docs/FAVA.md).

``POST /<ledger>/extension/FundLedger/entry`` with ``kind`` and the option names of
``fundledger add KIND`` (``kind=donation&amount=500&donor=王建国``) is ``fundledger add`` itself:
the form fields become ``--name=value`` arguments parsed by the ``add KIND`` click command (so
the same conversions and the same errors), its own builder from ``fundledger.entry.kinds``
makes the drafts, and ``fundledger.entry.writer.write_entries`` checks the whole ledger — the
one Fava holds, in memory (``fava/reload.py``) — and writes them (lock, atomic replace,
conflict detection). Each written entry gets
``entered-by:``, the proxy's authenticated user, else the OS user running Fava. ``preview=1``
checks and returns the text without writing. ``--file`` is not offered over HTTP: the
writer's layout decides where an entry goes.

This module defines no ``FavaExtensionBase`` subclass (Fava registers every one it finds in
the extension's module).
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

BATCH = "donations"  # the pasted donation list (``fundledger import --kind donations``)
BATCH_HEADER = ("日期", "捐款人", "金额", "募捐活动")
USER_HEADERS = ("X-Remote-User", "Remote-User")
NOT_OVER_HTTP = {"ledger", "file_", "dry_run"}
TRUE = {"1", "on", "true", "yes", "y"}
# options whose help has no Chinese of their own
LABELS = {"interest-account": "利息收入账户 (interest income account)"}


@dataclass
class Field:
    """One option of ``fundledger add KIND`` as a form field."""

    name: str  # the form field's name: the option's without dashes (``apply-kind`` for
    # ``add apply --kind``, as ``kind`` names the entry's kind)
    label: str  # the Chinese part of its help text, up to the first comma
    help: str  # the whole help text
    required: bool
    flag: bool
    choices: list[tuple[str, str]]  # (value, shown) for a closed vocabulary, else []
    option: str = ""  # the option, ``--name``
    default: str = ""  # the option's own default, shown greyed in the field


def commands() -> dict[str, click.Command]:
    from ..cli_entry import add

    return dict(add.commands)


def _label(help_: str, name: str) -> str:
    zh = help_.split(" (")[0].strip()
    for mark in ("，", "：", "；", ","):
        zh = zh.split(mark)[0]
    return zh.strip() or name


def _choices(param: click.Option) -> list[tuple[str, str]]:
    kind = getattr(param.type, "kind", None)
    if kind is not None:
        from .. import vocab

        if vocab.VOCABULARIES[kind].open:
            return []
        return [(t.value, f"{t.zh} {t.value}") for t in param.type._terms()]  # type: ignore[attr-defined]
    if isinstance(param.type, click.Choice):
        return [(str(c), str(c)) for c in param.type.choices]
    return []


def fields(kind: str) -> list[Field]:
    """The form fields of ``add KIND``: its options but the ledger, ``--file``, ``--dry-run``."""
    out = []
    for param in commands()[kind].params:
        if not isinstance(param, click.Option) or param.name in NOT_OVER_HTTP:
            continue
        option = max(param.opts, key=len)
        name = option.lstrip("-")
        help_ = param.help or LABELS.get(name, name)
        default = (str(param.default) if isinstance(param.default, (str, int, float))
                   and not param.is_flag else "")
        field_name = f"{kind}-{name}" if name == "kind" else name
        out.append(Field(field_name, _label(help_, name), help_, bool(param.required),
                         bool(param.is_flag), _choices(param), option,
                         default))
    return out


def entered_by(request: Any) -> str:
    """The authenticated user a reverse proxy passes on, else the OS user running Fava."""
    for header in USER_HEADERS:
        user = (request.headers.get(header) or "").strip()
        if user:
            return user
    user = (request.environ.get("REMOTE_USER") or "").strip()
    return user or getpass.getuser()


@dataclass
class Answer:
    """What one submission came to: the JSON answer and its HTTP status."""

    body: dict[str, Any]
    status: int


def _refused(errors: list[str], fields_: dict[str, list[str]] | None = None) -> Answer:
    body: dict[str, Any] = {"ok": False, "errors": errors}
    if fields_:
        body["fields"] = fields_
    return Answer(body, 422)


def _arguments(kind: str, form: Any) -> tuple[list[str], list[str]]:
    """``--name=value`` for each field given; and the names of fields ``add KIND`` lacks."""
    known = {f.name: f for f in fields(kind)}
    unknown = [k for k in form if k not in known and k not in ("kind", "preview", "dry-run")]
    args = []
    for name, field_ in known.items():
        value = (form.get(name) or "").strip()
        if field_.flag:
            if value.lower() in TRUE:
                args.append(field_.option)
        elif value:
            args.append(f"{field_.option}={value}")
    return args, unknown


def _click_error(exc: click.ClickException, ctx_kind: str = "") -> tuple[str, str | None]:
    """A Chinese message for a refused option, and the field it belongs to."""
    param = getattr(exc, "param", None)
    name = max(param.opts, key=len).lstrip("-") if param is not None and param.opts else None
    field_ = f"{ctx_kind}-kind" if name == "kind" and ctx_kind else name
    if isinstance(exc, click.MissingParameter):
        label = _label(param.help or name, name) if param is not None and name else ""
        return f"缺少「{label}」（--{name}），必须填写 (--{name} is required)", field_
    if isinstance(exc, click.BadParameter) and name:
        return f"--{name}：{exc.message}", field_
    return exc.format_message(), None


def submit(top: str | Path, form: Any, user: str, held: Any = None) -> Answer:
    """Check and (unless ``preview``) write the entry the form describes; see the module doc.
    ``held`` (``entry.held.Held``): the ledger Fava holds, checked against in memory."""
    from ..cli_common import _YES
    from ..cli_entry import _day
    from ..entry import vouchers
    from ..entry.writer import write_entries

    kind = (form.get("kind") or "").strip()
    if kind == BATCH:
        return submit_batch(top, form, user, held)
    if kind not in commands():
        return _refused([f"没有这种分录：{kind!r}；可记 {'、'.join(commands())} "
                         f"(no such kind: {kind!r})"])
    preview = (form.get("preview") or form.get("dry-run") or "").strip().lower() in TRUE
    args, unknown = _arguments(kind, form)
    if unknown:
        return _refused([f"fundledger add {kind} 没有这一项：{', '.join(sorted(unknown))} "
                         f"(no such option)"])
    command = commands()[kind]
    try:
        ctx = command.make_context(f"add {kind}", [str(top), *args])
    except click.ClickException as exc:
        message, name = _click_error(exc, kind)
        return _refused([message], {name: [message]} if name else None)
    values = {k: v for k, v in ctx.params.items() if k not in NOT_OVER_HTTP}
    allow_twice = bool(ctx.meta.get(_YES))
    if "date" in values:
        values["date"] = _day(values["date"])
    numbering = {k: values.pop(k) for k in ("voucher", "attachments") if k in values}
    builder = command.callback.__wrapped__  # type: ignore[union-attr]

    def build(fund: Any) -> list[Any]:
        drafts = builder(fund, **values)
        drafts = vouchers.numbered(fund, drafts, **numbering) if numbering else drafts
        for draft in drafts:
            draft.entry.meta.append(("entered-by", user))
        return drafts

    def write() -> Any:
        with ctx:
            return write_entries(top, build, None, preview, allow_twice, held)

    return _answer(write, preview, (
        "未写入：会带来 {n} 个新错误 (refused, nothing written)",
        "未写入：这笔交易看似重复记账；确实是另一笔，请勾选“确认”（yes）再记 "
        "(refused: it looks entered twice)"))


def _answer(write: Any, preview: bool, words: tuple[str, str], **extra: Any) -> Answer:
    """What the endpoint answers for ``write()`` (``write_entries``): the refusal with its
    Chinese errors (``words``: what it adds for new errors, ``{n}`` of them, and for an entry
    that looks entered twice), or every file written with its line and text."""
    from ..entry.format import EntryError
    from ..entry.writer import Busy, Conflict
    from ..fund import LedgerNotFound

    try:
        outcome = write()
    except (EntryError, Conflict, Busy, LedgerNotFound, click.ClickException) as exc:
        return _refused([exc.format_message() if isinstance(exc, click.ClickException)
                         else str(exc)])
    except OSError as exc:
        return _refused([f"读写失败 {exc} (I/O error)"])
    if outcome.new_errors:
        shown = sorted(outcome.new_errors, key=lambda e: (e.filename, e.lineno))
        return _refused([e.shown for e in shown] + [words[0].format(n=len(shown))])
    if outcome.twice_refused:
        return _refused([str(pair) for pair in outcome.twice] + [words[1]])
    if not outcome.texts:
        return _refused(["没有要写的分录 (nothing to write)"])
    path, text = next(iter(outcome.texts.items()))
    body: dict[str, Any] = {"ok": True, "file": str(path), "line": outcome.lines.get(path),
                            "text": text, **extra}
    if preview:
        body["preview"] = True
    if len(outcome.texts) > 1:  # entries of several years: every file and its text
        body["files"] = [{"file": str(p), "line": outcome.lines.get(p), "text": t}
                         for p, t in outcome.texts.items()]
    if outcome.warnings or outcome.twice:
        body["warnings"] = [*outcome.warnings, *(str(p) for p in outcome.twice)]
    return Answer(body, 200)


def same_origin(request: Any) -> bool:
    """A browser's POST from another site (its ``Origin`` names another host) is refused;
    scripts and tests send no ``Origin``."""
    from urllib.parse import urlsplit

    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.host


def _pasted_csv(text: str) -> str:
    """Rows pasted from Excel (tab-separated: date, donor or unit, amount, campaign) as the
    CSV ``import --kind donations`` reads; a header row of its own is kept."""
    import csv
    import io

    rows = [line.split("\t") for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    if rows and not any("日期" in cell for cell in rows[0]):
        rows.insert(0, list(BATCH_HEADER))
    out = io.StringIO()
    csv.writer(out).writerows([cell.strip() for cell in row] for row in rows)
    return out.getvalue()


def _pasted_line(message: str, pasted: str) -> str:
    """``粘贴的名单:N:`` counted in the pasted lines (the header row we added not counted)."""
    import re

    first = next((line for line in pasted.splitlines() if line.strip()), "")
    if "日期" in first:
        return message
    return re.sub(r"^粘贴的名单:(\d+):", lambda m: f"粘贴的名单第 {int(m[1]) - 1} 行:", message)


def submit_batch(top: str | Path, form: Any, user: str, held: Any = None) -> Answer:
    """A donation list pasted from Excel, read as strictly as ``import --kind donations`` and
    written all at once or not at all (one check of the whole ledger)."""
    import tempfile

    from ..entry import vouchers
    from ..entry.writer import write_entries
    from ..importers import donations
    from ..importers.workbook import NotASheet, SheetErrors

    preview = (form.get("preview") or "").strip().lower() in TRUE
    pasted = form.get("rows") or ""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pasted.csv"
        path.write_text(_pasted_csv(pasted), encoding="utf-8")
        try:
            rows, _ = donations.read_donations(path, (form.get("campaign") or "").strip() or None)
        except SheetErrors as exc:
            lines = [_pasted_line(line, pasted) for line in exc.lines("粘贴的名单")]
            return _refused(lines, {"rows": lines})
        except NotASheet as exc:
            return _refused([f"粘贴的名单：{exc}"])
    if not rows:
        return _refused(["没有可记的行：请从 Excel 粘贴 日期、捐款人或单位、金额、募捐活动 四列 "
                         "(nothing to enter)"], {"rows": ["没有可记的行"]})
    account = (form.get("account") or "").strip() or None
    cash = (form.get("cash") or "").strip() or None

    def build(fund: Any) -> list[Any]:
        drafts = vouchers.numbered(fund, donations.donation_drafts(fund, rows, account, cash))
        for draft in drafts:
            draft.entry.meta.append(("entered-by", user))
        return drafts

    yes = (form.get("yes") or "").strip().lower() in TRUE
    return _answer(lambda: write_entries(top, build, None, preview, yes, held), preview, (
        "未写入：会带来 {n} 个新错误，一行也没有写 (refused, nothing written)",
        "未写入：有的行看似重复记账；确实是另外的捐款，请勾选“确认”（yes）再记 "
        "(refused: rows look entered twice)"), rows=len(rows))


@dataclass
class Choice:
    value: str
    shown: str


class Desk:
    """What the desk page (``page=desk``) shows: the kinds, their fields and the pickers
    filled from the ledger (members with masked names and branch, open applications with
    their next step, outstanding loans with balance and due, accounts with Chinese names)."""

    PICKED = {"member": "members", "application": "applications", "loan": "loans",
              "account": "accounts", "cash": "cash", "interest-account": "accounts",
              "step": "steps"}

    def __init__(self, view: Any):
        self.view = view
        kinds = dict(self.kinds())
        self.kind = view.args.get("kind") if view.args.get("kind") in kinds else "donation"

    @staticmethod
    def kinds() -> list[tuple[str, str]]:
        """(kind, its Chinese title from the command's help), and the pasted list."""
        out = [(name, (cmd.help or name).split(" (")[0].split("：")[0].rstrip("。"))
               for name, cmd in commands().items()]
        return [*out, (BATCH, "捐款名单（从 Excel 粘贴）")]

    def fields(self) -> list[Field]:
        return fields(self.kind) if self.kind != BATCH else []

    def picker(self, field_: Field) -> str | None:
        return self.PICKED.get(field_.name)

    def policy(self) -> Any:
        return self.view.ext.fund.policy_at(self.view.today)

    def policy_line(self) -> str:
        """Today's policy, as the defaults and limits the entries are checked against."""
        p, v = self.policy(), self.view
        rate = f"，年利率上限 {p.loan_rate_max * 100:.2f}%" if p.loan_rate_max is not None else ""
        steps = "、".join(v.step(s) for s in p.steps_loan)
        return (f"今天的政策：借款上限 {p.loan_max} 元，期限 {p.loan_term_months} 个月{rate}，"
                f"{'须有担保，' if p.guarantor_required else ''}公示 {p.publicity_days} 天；"
                f"借款步骤 {steps}")

    def placeholder(self, field_: Field) -> str:
        """The policy's default or limit for a field, shown greyed in it."""
        p = self.policy()
        if field_.name == "rate" and p.loan_rate_max is not None:
            return f"上限 {p.loan_rate_max}（{p.loan_rate_max * 100:.2f}%）"
        if field_.name == "amount" and self.kind in ("apply", "approve", "loan"):
            return f"借款上限 {p.loan_max}" if self.kind != "apply" else f"借款不超过 {p.loan_max}"
        return field_.default

    def choices(self) -> dict[str, list[Choice]]:
        from ..masking import mask_name

        v = self.view
        state = v.state
        members = [Choice(r.id, f"{r.id} {r.name} {r.branch}") for r in v.members]
        apps = []
        for r in v.applications:
            if r.status in ("pending", "approved"):
                nxt = r.missing[0] if r.missing else ("放款/救济" if r.status == "approved" else "审批")
                apps.append(Choice(r.app.id, f"{r.app.id} {r.name} {v.step(nxt) if r.missing else nxt}"))
        loans = [Choice(r["id"], f"{r['id']} {mask_name(r.get('member_name') or '')} 余额 "
                                 f"{r['outstanding']} 到期 {r['due']}")
                 for r in v.loan_rows("open")]
        accounts, cash = [], []
        for name, info in sorted(state.accounts.items()):
            if info.open_entry is None or info.closed:
                continue
            shown = f"{name} {info.name or ''}".strip()
            accounts.append(Choice(name, shown))
            if name.startswith(("Assets:Bank:", "Assets:Cash:")):
                cash.append(Choice(name, shown))
        p = self.policy()  # the steps the policy names (approve has its own form), and reject
        steps = [Choice(name, f"{v.step(name)} {name}")
                 for name in dict.fromkeys([*p.steps_loan, *p.steps_relief, "reject"])
                 if name != "approve"]
        return {"members": members, "applications": apps, "loans": loans,
                "accounts": accounts, "cash": cash, "steps": steps}


def writable() -> bool:
    """Fava was started without ``--read-only`` (which adds a ``before_request`` refusing
    every non-GET request; Fava keeps no flag for it)."""
    from flask import current_app

    return not any(getattr(f, "__name__", "") == "_read_only"
                   for f in current_app.before_request_funcs.get(None, []))
