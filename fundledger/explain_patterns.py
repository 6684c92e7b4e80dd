"""The table behind ``fundledger.explain``: one small function per beancount error a clerk
meets, matched on the error's class and message (stable within beancount 3.x), and what they
read besides the error: the ledger line it points at, the accounts the ledger opened, and the
characters a Chinese input method types in place of ASCII.

Each pattern returns ``Said(zh, hint_zh, hint_en)`` (and a better place, for an error beancount
puts at ``<load>:0``) or None when the error is not its own. Nothing here changes the ledger;
lines are read afresh (a long-running Fava must not see an old copy), only from regular files.
"""

from __future__ import annotations

import calendar
import datetime
import difflib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from beancount.core import account as bc_account
from beancount.core import data

# character -> (its Chinese name, what to type instead; "" = delete it)
LOOKALIKES: dict[str, tuple[str, str]] = {
    "“": ("中文左双引号", '"'), "”": ("中文右双引号", '"'),
    "‘": ("中文左单引号", '"'), "’": ("中文右单引号", '"'),
    "：": ("全角冒号", ":"), "，": ("全角逗号", ","), "。": ("中文句号", "."),
    "、": ("顿号", ","), "　": ("全角空格", " "), "\u00a0": ("看不见的不换行空格", " "),
    "\u200b": ("看不见的零宽空格", ""), "\ufeff": ("看不见的 BOM 标记", ""),
    "￥": ("人民币符号", ""), "¥": ("人民币符号", ""), "－": ("全角减号", "-"),
    "—": ("破折号", "-"), "–": ("短破折号", "-"), "（": ("全角左括号", "("),
    "）": ("全角右括号", ")"), "；": ("全角分号", ";"),
}


def lookalike(char: str) -> tuple[str, str] | None:
    """(name, ASCII to type) for a character typed in a Chinese input method's full-width mode."""
    if char in LOOKALIKES:
        return LOOKALIKES[char]
    if 0xFF01 <= ord(char) <= 0xFF5E:  # the full-width forms of ASCII ! to ~
        ascii_ = chr(ord(char) - 0xFEE0)
        kind = "数字" if ascii_.isdigit() else "字母" if ascii_.isalpha() else "符号"
        return f"全角{kind}", ascii_
    return None


def outside_strings(line: str) -> list[int]:
    """Indexes of the characters of ``line`` outside "..." strings and before a ``;`` comment."""
    out, quoted = [], False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif not quoted:
            if char == ";":
                break
            out.append(i)
    return out


def lookalikes_in(line: str) -> tuple[list[tuple[str, str, str]], str]:
    """The look-alike characters outside strings ([(char, name, ascii)], first seen first) and
    the line with each replaced."""
    found: dict[str, tuple[str, str, str]] = {}
    chars = list(line)
    for i in outside_strings(line):
        hit = lookalike(line[i])
        if hit:
            found.setdefault(line[i], (line[i], *hit))
            chars[i] = hit[1]
    return list(found.values()), "".join(chars)


def shown(char: str) -> str:
    return f"U+{ord(char):04X}" if char.isspace() or not char.isprintable() or char == "\ufeff" \
        else char


_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])")


def bad_date(line: str) -> tuple[str, str, str] | None:
    """The first impossible YYYY-MM-DD on the line: (as written, what is wrong zh, en)."""
    for match in _DATE.finditer(line):
        year, month, day = (int(g) for g in match.groups())
        if not 1 <= month <= 12:
            return match[0], f"没有 {month} 月（月份只能是 1–12）", f"there is no month {month}"
        last = calendar.monthrange(year, month)[1] if year >= 1 else 31
        if not 1 <= day <= last:
            zh = (f"日不能是 {day}" if day < 1
                  else f"{year} 年 {month} 月只有 {last} 天，没有 {day} 日")
            return match[0], zh, f"{year}-{month:02d} has {last} days, not {day}"
    return None


def close_to(name: str, choices: Any, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The closest of ``choices`` by edit distance, ignoring case; never ``name`` itself."""
    pool = {c.lower(): c for c in choices if c != name}
    return [pool[m] for m in difflib.get_close_matches(name.lower(), list(pool), n, cutoff)]


def did_you_mean(names: list[str]) -> tuple[str, str]:
    return ("您是否要写 " + " 或 ".join(names) + "？",
            "did you mean " + " or ".join(names) + "?")


@dataclass
class Context:
    """The ledger around the errors: one per batch of errors (lines are read once)."""

    entries: list[Any]
    options: dict[str, Any]
    _lines: dict[str, list[str] | None] = field(default_factory=dict)
    _opens: dict[str, data.Open] | None = None
    _closes: dict[str, data.Close] | None = None

    @property
    def currency(self) -> str:
        return (self.options.get("operating_currency") or ["CNY"])[0]

    def _index(self) -> tuple[dict[str, data.Open], dict[str, data.Close]]:
        """Each account's first open and first close (the ones a duplicate repeats)."""
        if self._opens is None or self._closes is None:
            self._opens, self._closes = {}, {}
            for entry in self.entries:
                if isinstance(entry, data.Open):
                    self._opens.setdefault(entry.account, entry)
                elif isinstance(entry, data.Close):
                    self._closes.setdefault(entry.account, entry)
        return self._opens, self._closes

    @property
    def opens(self) -> dict[str, data.Open]:
        return self._index()[0]

    @property
    def closes(self) -> dict[str, data.Close]:
        return self._index()[1]

    def lines(self, filename: Any) -> list[str] | None:
        name = str(filename or "")
        if name not in self._lines:
            self._lines[name] = None
            if os.path.isfile(name):  # never a FIFO or device: beancount read a regular file
                try:
                    with open(name, encoding="utf-8", errors="replace", newline="") as file:
                        self._lines[name] = file.read().splitlines()
                except OSError:
                    pass
        return self._lines[name]

    def line(self, filename: Any, lineno: Any) -> str | None:
        lines = self.lines(filename)
        n = int(lineno or 0)
        return lines[n - 1] if lines and 1 <= n <= len(lines) else None


def where(meta: Any) -> str:
    meta = meta or {}
    return f"{meta.get('filename', '?')}:{meta.get('lineno', 0)}"


def day(value: datetime.date) -> str:
    return value.isoformat()


class Said(NamedTuple):
    zh: str
    hint_zh: str
    hint_en: str
    at: tuple[str, int] | None = None  # (filename, lineno) when beancount's own is <load>:0


Pattern = Callable[[Any, Context], "Said | None"]
PATTERNS: list[Pattern] = []


def pattern(func: Pattern) -> Pattern:
    PATTERNS.append(func)
    return func


def _kind(error: Any) -> str:
    return type(error).__name__


def _syntax(error: Any) -> bool:
    return _kind(error) in ("LexerError", "ParserError", "ParserSyntaxError")


def _src(error: Any) -> tuple[Any, int]:
    source = error.source or {}
    return source.get("filename"), int(source.get("lineno") or 0)


def _line(error: Any, ctx: Context, back: int = 0) -> str:
    filename, lineno = _src(error)
    return ctx.line(filename, lineno - back) or ""


_TOKEN = re.compile(r"^Invalid token: '(.*)'$", re.S)
_ACCOUNT_IN = re.compile(r"account '([^']*)'|account name: (\S+)|for account '([^']*)'")


# -- characters typed in the wrong mode, bytes in the wrong encoding, impossible dates
@pattern
def full_width(error: Any, ctx: Context) -> Said | None:
    """A parser error on a line holding full-width or invisible characters outside strings,
    or an account name holding them (the same mistake, seen by validation)."""
    account = _ACCOUNT_IN.search(error.message) if not _syntax(error) else None
    if _syntax(error):
        found, fixed = lookalikes_in(_line(error, ctx))
        if not found and "unexpected EOL" in error.message:  # reported on the next line
            found, fixed = lookalikes_in(_line(error, ctx, 1))
    elif account:
        found, fixed = lookalikes_in(next(g for g in account.groups() if g))
    else:
        return None
    if not found:
        return None
    zh = "；".join(f"{shown(c)}（{name}）改为 {'普通空格' if a == ' ' else a}" if a
                  else f"删除 {shown(c)}（{name}）" for c, name, a in found)
    if any(c == "\ufeff" for c, _, _ in found):
        zh += "（用记事本「另存为」，编码选「UTF-8」，不要选「带 BOM 的 UTF-8」）"
    en = "; ".join(f"replace {shown(c)} with {'a space' if a == ' ' else a}" if a
                   else f"delete {shown(c)}"
                   for c, _, a in found)
    chars = "、".join(shown(c) for c, _, _ in found)
    return Said(f"有 beancount 不认识的全角或看不见的字符 {chars}（多是中文输入法打出的，或从 Word、网页复制来的）",
                f"{zh}；改后为：{fixed.strip()}",
                f"{en} (full-width or invisible characters); fixed: {fixed.strip()}")


@pattern
def not_utf8(error: Any, ctx: Context) -> Said | None:
    if _kind(error) != "LexerError" or "UnicodeDecodeError" not in error.message:
        return None
    return Said("这一行的文字不是 UTF-8 编码（文件可能是用 GBK/ANSI 保存的）",
                "用记事本或 WPS 打开，「另存为」时编码选「UTF-8」，再检查一次",
                "save the file as UTF-8 (it looks like GBK/ANSI)")


@pattern
def impossible_date(error: Any, ctx: Context) -> Said | None:
    if _kind(error) != "LexerError" or not error.message.startswith("ValueError:"):
        return None
    wrong = bad_date(_line(error, ctx))
    if wrong is None:
        return Said("日期不存在", "请检查这一行的日期（年-月-日）", "check the date on this line")
    written, zh, en = wrong
    return Said(f"日期 {written} 不存在：{zh}", "请改为实际的日期，如月底请写当月最后一天",
                f"{written}: {en}; write a real date")


# -- the account: unknown, not yet open, closed, misspelt
def _nearest(ctx: Context, account: str) -> list[str]:
    plain = lookalikes_in(account)[1]
    # accounts share long prefixes (Expenses:Relief:): only a near-miss is a typo
    return close_to(plain, ctx.opens, 3, 0.8) or ([plain] if plain in ctx.opens else [])


def _open_hint(ctx: Context, account: str, error: Any) -> tuple[str, str]:
    near = _nearest(ctx, account)
    if not bc_account.is_valid(account):
        return ("账户名只能用英文字母、数字和 -，每段以大写字母或数字开头；中文名写在开户行下的 name: 里",
                "account names are ASCII, each component starting with a capital or digit")
    date = getattr(getattr(error, "entry", None), "date", None)
    line = f"{day(date) if date else 'YYYY-MM-DD'} open {account} {ctx.currency}"
    zh, en = (f"若是新账户，请在使用之前先开户：{line}（并写上 name: 中文名）",
              f"if it is a new account, open it first: {line}")
    if near:
        mean = did_you_mean(near)
        return f"{mean[0]}{zh}", f"{mean[1]} {en}"
    return zh, en


@pattern
def unknown_account(error: Any, ctx: Context) -> Said | None:
    match = re.match(r"Invalid reference to unknown account '(.*)'$", error.message)
    if not match:
        return None
    account = match[1]
    return Said(f"账户 {account} 没有开户（账本里找不到它的 open）", *_open_hint(ctx, account, error))


@pattern
def inactive_account(error: Any, ctx: Context) -> Said | None:
    match = re.match(r"Invalid reference to inactive account '(.*)'$", error.message)
    if not match:
        return None
    account, date = match[1], getattr(error.entry, "date", None)
    opened, closed = ctx.opens.get(account), ctx.closes.get(account)
    if opened and date and date < opened.date:
        return Said(f"账户 {account} 到 {day(opened.date)} 才开户，这笔 {day(date)} 的分录在开户之前",
                    f"把开户（{where(opened.meta)}）的日期改到 {day(date)} 或更早，或检查这笔分录的日期",
                    f"{account} opens on {day(opened.date)} ({where(opened.meta)}), after this "
                    f"{day(date)} entry: move the open to {day(date)} or earlier")
    if closed:
        return Said(f"账户 {account} 已于 {day(closed.date)} 销户，销户后不能再记账",
                    f"改记到仍在用的账户，或把销户（{where(closed.meta)}）的日期推后",
                    f"{account} was closed on {day(closed.date)} ({where(closed.meta)}): post to "
                    "an open account or move the close later")
    return Said(f"账户 {account} 在这一天不能用（未开户或已销户）", "检查开户和销户的日期",
                "check the account's open and close dates")


@pattern
def bad_account_name(error: Any, ctx: Context) -> Said | None:
    match = re.match(r"Invalid account name: (.*)$", error.message)
    if not match:
        return None
    account = match[1]
    roots = [ctx.options.get(f"name_{r}", r.title()) for r in
             ("assets", "liabilities", "equity", "income", "expenses")]
    root, _, rest = account.partition(":")
    if root not in roots:
        near = close_to(root, roots, 1)
        guess = f"{near[0]}:{rest}" if near else None
        return Said(f"账户名 {account} 的第一段必须是 {'、'.join(roots)} 之一",
                    did_you_mean([guess])[0] if guess else "请改用这五类之一开头",
                    did_you_mean([guess])[1] if guess else "start with one of " + ", ".join(roots))
    return Said(f"账户名 {account} 不合规：每一段只能用英文字母、数字和 -，并以大写字母或数字开头，不能用中文",
                "改用英文名（如 Assets:Bank:Fund），中文名写在开户那一行下面：name: \"银行存款\"",
                "use ASCII components starting with a capital letter or digit; put the Chinese "
                "name in the open's name: metadata")


@pattern
def close_without_open(error: Any, ctx: Context) -> Said | None:
    match = re.match(r"Unopened account (.*) is being closed$", error.message)
    if not match:
        return None
    near = close_to(match[1], ctx.opens, 3, 0.8)
    hint = did_you_mean(near) if near else ("这个账户从未开户，删除这行 close 即可",
                                            "the account was never opened: delete the close")
    return Said(f"要销户的账户 {match[1]} 从未开户", *hint)


@pattern
def duplicate_open_close(error: Any, ctx: Context) -> Said | None:
    match = re.match(r"Duplicate (open|close) directive for (.*)$", error.message)
    if not match:
        return None
    what, account = match.groups()
    first = (ctx.opens if what == "open" else ctx.closes).get(account)
    verb = "开户" if what == "open" else "销户"
    at = f"（{where(first.meta)}，{day(first.date)}）" if first else ""
    return Said(f"账户 {account} 重复{verb}", f"这个账户已经{verb}过{at}：删除这一行",
                f"already {what.replace('open', 'opene')}d at "
                f"{where(first.meta) if first else '?'}: delete this line")


@pattern
def wrong_currency(error: Any, ctx: Context) -> Said | None:
    match = re.match(r"Invalid currency (\S+) for account '(.*)'$", error.message)
    if not match:
        return None
    currency, account = match.groups()
    opened = ctx.opens.get(account)
    allowed = "、".join(opened.currencies or []) if opened else ctx.currency
    if currency.upper() in ("RMB", "YUAN", "CNH", "RMB¥"):
        hint = f"人民币一律写 {ctx.currency}，不写 {currency}"
    else:
        hint = f"改为 {allowed}" + (f"，或在开户那一行（{where(opened.meta)}）加上 {currency}"
                                   if opened else "")
    return Said(f"账户 {account} 只能用 {allowed} 记账，这里写了 {currency}", hint,
                f"{account} takes {allowed}, not {currency}")


# -- amounts and balancing
_AMOUNTS = re.compile(r"(-?[\d.,]+) ([A-Z][A-Z0-9'._-]*)")


@pattern
def does_not_balance(error: Any, ctx: Context) -> Said | None:
    match = re.match(r"Transaction does not balance: \((.*)\)$", error.message)
    if not match:
        return None
    off = match[1]
    postings = getattr(error.entry, "postings", None) or []
    if len(postings) == 1:
        return Said(f"这笔分录只有一行记账，借贷不平（差 {off}）",
                    "至少要两行：再加一行对方账户（如 Assets:Bank:Fund），金额可留空由 beancount 补齐",
                    f"a single posting, off by {off}: add the other account's posting")
    hint, hint_en = "；或把其中一行的金额留空，由 beancount 自动补齐", "or leave one amount blank"
    for number, currency in _AMOUNTS.findall(off):
        try:
            residual = data.D(number.replace(",", ""))
        except (ArithmeticError, ValueError):
            continue
        for posting in postings:
            units = posting.units
            if units and units.currency == currency and units.number * 2 == residual:
                line = (posting.meta or {}).get("lineno", "?")
                hint = (f"；第 {line} 行 {posting.account} 的 {units.number} {currency} "
                        f"正负号可能写反了（应为 {-units.number} {currency}）")
                hint_en = f"the sign on line {line} may be wrong ({-units.number} {currency}?)"
    return Said(f"这笔分录借贷不平：各行金额相加应为 0，现在相加得 {off}（差 {off}）",
                "请核对各行金额" + hint,
                f"the postings add up to {off}, not 0: check the amounts; {hint_en}")


@pattern
def balance_failed(error: Any, ctx: Context) -> Said | None:
    match = re.match(r"Balance failed for '(.*)': expected (.*) != accumulated (.*) "
                     r"\((\S+) too (little|much)\)$", error.message)
    if not match:
        return None
    account, expected, actual, diff, way = match.groups()
    date = getattr(error.entry, "date", None)
    when = f"{day(date)} 日初（不含当天的分录）" if date else "核对日"
    diff = f"{diff} {expected.split()[-1]}"
    fewer = "账上比核对数少" if way == "little" else "账上比核对数多"
    return Said(f"余额核对不符：{account} 在 {when}应为 {expected}，账上是 {actual}，{fewer} {diff}",
                f"对照银行对账单查找漏记、重记或金额有误的分录（差 {diff}）；"
                "balance 核对的是当天开始时的余额，当天的分录要到第二天才算进去",
                f"off by {diff} (too {way}); balance checks the start of its day, before that "
                "day's entries")


@pattern
def no_currency(error: Any, ctx: Context) -> Said | None:
    match = re.match(r"Failed to categorize posting (\d+)$", error.message)
    if not match:
        return None
    line = _line(error, ctx).rstrip()
    fixed = re.sub(r"(\d)\s*$", rf"\1 {ctx.currency}", line)
    hint = f"写成：{fixed.strip()}" if fixed != line else f"在数字后写上币种 {ctx.currency}"
    return Said("金额缺少币种", hint, f"write the currency after the number: {fixed.strip()}")


@pattern
def two_blank_amounts(error: Any, ctx: Context) -> Said | None:
    if error.message != "You may not have more than one auto-posting per currency":
        return None
    _, lineno = _src(error)
    return Said("这笔分录有不止一行没写金额", f"只能有一行金额留空（由 beancount 补齐）：请给第 {lineno} 行写上金额",
                f"only one posting may leave its amount blank: give line {lineno} one")
