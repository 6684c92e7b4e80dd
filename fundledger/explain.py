"""beancount's own errors explained in Chinese, with the fix (issue 12, item 1).

    explanation(error, entries, options_map).line("zh")
    -> main.beancount:5: 有全角或看不见的字符 “、”（中文输入法打出的），beancount 不认识。
       提示：“（中文左双引号）改为 "；”（中文右双引号）改为 "；改后为：2025-02-01 * "赵六" "慰问"
       (Invalid token: '“赵六”')

The Chinese comes first, then a concrete hint, then beancount's English in brackets; in English
(``lang="en"``) the original message with the hint after it. The place is beancount's own, except
for the errors beancount puts at ``<load>:0`` that have a line in the ledger (an ``include`` of a
missing file, a ``plugin`` that does not import). An error no pattern knows, and every fund
error (``FLxxx``), comes back exactly as beancount or the plugin wrote it: never hidden.

The patterns are small named functions in one table (``explain_patterns.PATTERNS``, the
validation and booking errors, then the parser and loader ones below), matched on the error's
class and message; a pattern that fails is skipped, never the error.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from beancount.parser import options as bc_options

from .errors import FundError
from .explain_patterns import (
    _TOKEN,
    PATTERNS,
    Context,
    Said,
    _kind,
    _line,
    _src,
    close_to,
    day,
    did_you_mean,
    pattern,
)
from .includes import read_includes

__all__ = ["Explanation", "explanation", "explain", "explain_all", "PATTERNS"]


@dataclass(frozen=True)
class Explanation:
    filename: str
    lineno: int
    original: str  # beancount's message, unchanged
    message_zh: str | None = None  # None: no pattern knows this error
    hint_zh: str = ""
    hint_en: str = ""

    @property
    def recognised(self) -> bool:
        return self.message_zh is not None

    def text(self, lang: str = "zh") -> str:
        if not self.recognised:
            return self.original
        if lang == "en":
            return f"{self.original} (hint: {self.hint_en})"
        return f"{self.message_zh}。提示：{self.hint_zh} ({_one_line(self.original)})"

    def line(self, lang: str = "zh") -> str:
        """``FILE:LINE: message``, as bean-check and ``fundledger check`` print an error."""
        return f"{self.filename}:{self.lineno}: {self.text(lang)}"


def _one_line(message: str) -> str:
    """A traceback (a plugin that failed to import) shortened to its first and last lines."""
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    return lines[0] if len(lines) < 2 else f"{lines[0]} … {lines[-1]}"


def explanation(error: Any, entries: list[Any], options_map: dict[str, Any], *,
                context: Context | None = None) -> Explanation:
    source = error.source or {}
    filename, lineno = str(source.get("filename", "<unknown>")), int(source.get("lineno") or 0)
    message = str(error.message)
    plain = Explanation(filename, lineno, message)
    if isinstance(error, FundError) or re.match(r"FL\d{3}\b", message):
        return plain
    ctx = context or Context(entries, options_map)
    for func in PATTERNS:
        try:
            said = func(error, ctx)
        except Exception:  # noqa: BLE001 - a pattern's fault must never hide the error
            said = None
        if said is not None:
            at = said.at or (filename, lineno)
            return Explanation(str(at[0]), int(at[1]), message, said.zh, said.hint_zh,
                               said.hint_en)
    return plain


def explain(error: Any, entries: list[Any], options_map: dict[str, Any], *,
            lang: str = "zh") -> str:
    """The error's message, explained (without its place: see ``Explanation.line``)."""
    return explanation(error, entries, options_map).text(lang)


def explain_all(errors: Iterable[Any], entries: list[Any], options_map: dict[str, Any]
                ) -> list[Explanation]:
    """Every error explained, the ledger's lines read once for them all."""
    ctx = Context(entries, options_map)
    return [explanation(error, entries, options_map, context=ctx) for error in errors]


# -- the parser's and the loader's errors (after the table's own: full-width characters first)
_KEYWORDS = ("open", "close", "balance", "pad", "note", "document", "custom", "event", "price",
             "commodity", "query", "txn", "include", "option", "plugin", "pushtag", "poptag")
_DATE_AT = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}\s")


def _cjk(text: str) -> bool:
    return any(ord(c) > 0x2E7F for c in text)


@pattern
def unclosed_quote(error: Any, ctx: Context) -> Said | None:
    if not _TOKEN.match(error.message) or '"' not in error.message:
        return None
    line = _line(error, ctx).split(";")[0]
    if line.count('"') % 2 == 0:
        return None
    return Said("这一行的英文双引号 \" 不成对", "每段文字两边各一个 \"，检查是不是少打或多打了一个",
                'every text needs a " on each side')


@pattern
def bad_token(error: Any, ctx: Context) -> Said | None:
    match = _TOKEN.match(error.message)
    if not match or _kind(error) != "LexerError":
        return None
    token, line = match[1], _line(error, ctx)
    if token.endswith(":") and line[:1].isspace():
        return Said(f"元数据名 {token} 不合规：须用小写英文字母开头（如 member:、note:）",
                    "元数据名用英文，中文写在引号里的值中：note: \"中文说明\"",
                    "a metadata key starts with a lowercase ASCII letter")
    first = line.split()[0] if line.split() else ""
    if re.match(r"\d", line) and not _DATE_AT.match(line) and token in first:
        return Said("日期写法不对", "日期写成 年-月-日，用英文减号，如 2025-02-01",
                    "write dates as YYYY-MM-DD")
    if re.fullmatch(r"[A-Z][^\s:]*(:[^\s:]+)+", token):
        fixed = ":".join(part[:1].upper() + part[1:] for part in token.split(":"))
        near = [a for a in close_to(fixed, ctx.opens, 2, 0.8) if a != fixed]
        also = f"；已开户的相近账户：{'、'.join(near)}" if near else ""
        return Said(f"账户名 {token} 不合规：每一段须以大写英文字母或数字开头", f"写成 {fixed}{also}",
                    f"each component starts with a capital letter or digit: {fixed}")
    if f"#{token}" in line or f"^{token}" in line:
        return Said(f"标签或链接 {token} 不合规：# 和 ^ 后只能写英文字母、数字和 - _ . /",
                    "中文说明请写成元数据 note: \"…\"", "tags and links are ASCII only")
    currency = ctx.currency
    if token.upper() == currency.upper() or token in ("元", "人民币", "块", "RMB", "rmb"):
        return Said(f"币种写成了 {token}", f"币种一律写大写的 {currency}，如 100.00 {currency}",
                    f"write the currency as {currency}")
    if re.fullmatch(r"[a-z]+", token):
        near = close_to(token, _KEYWORDS, 1)
        if near and _DATE_AT.match(line):
            zh, en = did_you_mean(near)
            return Said(f"不认识的指令 {token}", zh, en)
    if _cjk(token) or re.fullmatch(r"[A-Za-z]+", token):
        if line[:1].isspace():
            return Said(f"记账行里不能直接写文字 {token}",
                        f"备注请写在分号后作为注释（; {token}），或另起一行元数据 note: \"{token}\"",
                        f"text on a posting line: write it as a comment or note: \"{token}\"")
        if line.split(";")[0].count('"') >= 4:
            return Said(f"说明后面多了文字 {token}",
                        f"分录头只能有两段文字（收付款人、摘要）：把 {token} 写进摘要的引号里，或另起一行 note: \"{token}\"",
                        f"at most payee and narration: move {token} into the narration or a note:")
        return Said(f"文字 {token} 没有用英文双引号括起来", f"写成 \"{token}\"（英文半角双引号）",
                    f'write "{token}"')
    return None


_FIX_SYNTAX = {
    "ACCOUNT": ("记账行（账户和金额）必须缩进", "在这一行行首加两个空格", "indent the posting"),
    "KEY": ("元数据行（如 member:）必须缩进", "在这一行行首加两个空格", "indent the metadata"),
}


@pattern
def syntax_error(error: Any, ctx: Context) -> Said | None:
    match = re.match(r"syntax error, unexpected (\w+)", error.message)
    if _kind(error) != "ParserSyntaxError" or not match:
        return None
    token, line, (_, lineno) = match[1], _line(error, ctx), _src(error)
    if token in _FIX_SYNTAX and not line[:1].isspace():
        return Said(*_FIX_SYNTAX[token])
    if token == "STRING" and re.match(r"^\d{4}-\d{1,2}-\d{1,2}\s+\"", line):
        fixed = re.sub(r"^(\S+)\s+", r"\1 * ", line)
        return Said("日期后缺少标记 *（已确认的分录写 *，待核实的写 !）", f"写成：{fixed}",
                    f"write a flag after the date: {fixed}")
    if token == "DATE" and line[:1].isspace():
        return Said("日期开头的行不能缩进", "删掉这一行行首的空格", "unindent the dated line")
    if token == "NUMBER" and not _DATE_AT.match(line):
        return Said("日期写法不对", "日期写成 年-月-日，用英文减号，如 2025-02-01",
                    "write dates as YYYY-MM-DD")
    if token == "HASH":
        return Said("标签 # 后只能写英文字母、数字和 - _ . /", "中文说明请写成元数据 note: \"…\"",
                    "tags are ASCII only: put Chinese text in a note: metadata")
    if token == "EOL":
        before = ctx.line(_src(error)[0], lineno - 1) or ""
        if "expecting ACCOUNT" in error.message:
            what = ("缺少账户名", "the account is missing")
        elif re.search(r"\d\s*$", before.split(";")[0]):
            what = (f"金额后缺少币种 {ctx.currency}", f"the amount lacks its currency {ctx.currency}")
        else:
            what = ("缺少账户、金额或币种", "something is missing")
        return Said(f"第 {lineno - 1} 行没写完：{what[0]}", f"补全第 {lineno - 1} 行：{what[0]}",
                    f"line {lineno - 1} is incomplete: {what[1]}")
    return Said("这一行的格式 beancount 读不懂（语法错误）",
                "对照同类分录检查这一行和上一行：日期、* 标记、英文双引号、缩进、账户、金额和币种",
                "compare this line and the one before with a correct entry")


@pattern
def bad_option(error: Any, ctx: Context) -> Said | None:
    match = re.match(r"Invalid option: '(.*)'$", error.message)
    if not match:
        return None
    near = close_to(match[1], bc_options.OPTIONS_DEFAULTS, 2)
    zh, en = did_you_mean(near) if near else ("检查选项名的拼写", "check the option's name")
    return Said(f"没有名为 {match[1]} 的 option", zh, en)


@pattern
def duplicate_metadata(error: Any, ctx: Context) -> Said | None:
    match = re.match(r"Duplicate metadata field on entry: KeyValue\(key='(.*?)'", error.message)
    if not match:
        return None
    return Said(f"同一条分录里 {match[1]}: 写了两次", f"删掉多余的一行 {match[1]}:，或改用别的名称",
                f"keep one {match[1]}: line")


# -- booking and pad (the table's order does not matter for these: their messages are their own)
@pattern
def unused_pad(error: Any, ctx: Context) -> Said | None:
    if error.message != "Unused Pad entry":
        return None
    account = getattr(error.entry, "account", "账户")
    date = getattr(error.entry, "date", None)
    later = day(date + datetime.timedelta(days=1)) if date else "YYYY-MM-DD"
    return Said("pad 没有起作用：其后没有需要它补齐的 balance 核对",
                f"在其后加一行余额核对，如：{later} balance {account} 金额 {ctx.currency}；"
                "或删除这行 pad",
                f"add a later balance for {account}, or delete the pad")


@pattern
def currency_without_number(error: Any, ctx: Context) -> Said | None:
    match = re.match(r"Too many missing numbers for currency group '(.*)'$", error.message)
    if not match:
        return None
    return Said(f"金额只写了币种 {match[1]}，没写数字",
                f"写上数字（如 100.00 {match[1]}），或连币种一起删掉、让 beancount 补齐",
                f"write the number before {match[1]}, or leave the amount blank")


def _top_lines(ctx: Context, regex: str) -> tuple[str, int] | None:
    top = ctx.options.get("filename")
    for n, text in enumerate(ctx.lines(top) or [], 1):
        if re.match(regex, text):
            return str(top), n
    return None


@pattern
def missing_include(error: Any, ctx: Context) -> Said | None:
    match = re.match(r'File glob "(.*)" does not match any files$', error.message)
    if not match or _kind(error) != "LoadError":
        return None
    name = match[1]
    files = [f for f in ctx.options.get("include", []) if isinstance(f, str)]
    found = [i for i in read_includes(files) if i.name == name]
    at = (found[0].source, found[0].line) if found else None
    folder = os.path.dirname(found[0].search_path) if found else ""
    own = {os.path.normpath(f) for f in files}
    try:
        near = close_to(os.path.basename(name), [
            f for f in os.listdir(folder or ".") if os.path.join(folder, f) not in own
            and f.endswith((".beancount", ".bean"))], 2) if found else []
    except OSError:
        near = []
    hint = (did_you_mean(near) if near else
            ("检查文件名和文件夹；相对路径从写 include 的那个文件所在的文件夹算起",
             "check the name; a relative name is from the including file's folder"))
    return Said(f"include 的文件 {name} 找不到", hint[0], hint[1], at)


@pattern
def plugin_not_imported(error: Any, ctx: Context) -> Said | None:
    match = re.match(r'Error importing "(.*?)"', error.message)
    if not match or _kind(error) != "LoadError":
        return None
    name = match[1]
    at = _top_lines(ctx, rf'\s*plugin\s+"{re.escape(name)}"')
    near = close_to(name, ["fundledger.plugin"], 1)
    if near:
        zh, en = did_you_mean([f'plugin "{near[0]}"'])
    else:
        zh, en = ("检查插件名的拼写；若插件名无误，检查运行 bean-check / Fava 的 Python 环境里是否装了它",
                  "check the plugin's name and that it is installed where bean-check/Fava runs")
    return Said(f"插件 {name} 无法载入", zh, en, at)
