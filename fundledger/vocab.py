"""The fund's controlled vocabularies, each value with its Chinese and English word: tiers,
workflow steps, application kinds, member categories, loan and application statuses.

The ledger and every machine format (JSON, CSV, Parquet) keep the English value (SPEC §2:
``custom "review" "M1" "special"``); a clerk may type either word on the command line
(``canonical``) and reads the word of ``--lang`` (``word``). i18n's status, tier, step and
category words come from here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    value: str          # what the ledger holds
    zh: str
    en: str
    aliases: tuple[str, ...] = ()  # other words a clerk may type for it
    zh_short: str = ""  # Fava's step badges
    en_short: str = ""


@dataclass(frozen=True)
class Vocabulary:
    kind: str
    zh: str             # what the values are, for messages (困难等级)
    en: str
    terms: tuple[Term, ...]
    # an open vocabulary lets an unknown value through as written: SPEC steps are whatever
    # the policy's steps-* name, and `category:` is free text
    open: bool = False


def _t(value: str, zh: str, en: str, *aliases: str, short: tuple[str, str] = ("", "")) -> Term:
    return Term(value, zh, en, aliases, *short)


VOCABULARIES: dict[str, Vocabulary] = {v.kind: v for v in (
    Vocabulary("tier", "困难等级", "tier", (
        _t("general", "一般困难", "general", "一般"),
        _t("relative", "比较困难", "relative", "比较", "relatively difficult"),
        _t("special", "特别困难", "special", "特别", "特困", "especially difficult"),
        _t("none", "不再困难", "none", "无", "不困难", "脱困", "no longer in hardship"),
    )),
    Vocabulary("step", "流程步骤", "workflow step", (
        _t("branch-review", "支部初审", "branch review", "支部评议", "民主评议", "初审", "评议",
           short=("初审", "review")),
        _t("publicity", "公示", "publicity", short=("公示", "public")),
        _t("approve", "审批", "approval", "集体审批", "集体研究审批", "批准",
           short=("审批", "approve")),
        _t("inspect", "实地考核", "inspection", "考核", "实地考察", short=("考核", "inspect")),
        _t("verify", "再次核实", "verification", "核实", short=("核实", "verify")),
        _t("reject", "不予帮扶", "rejection", "驳回", "不予批准", short=("不予帮扶", "reject")),
        _t("filing", "备案", "filing", short=("备案", "filing")),
    ), open=True),
    Vocabulary("kind", "申请类别", "application kind", (
        _t("loan", "借款", "loan", "有偿扶助"),
        _t("relief", "救济", "relief", "无偿救济", "救助"),
    )),
    Vocabulary("category", "成员类别", "member category", (
        _t("rural", "农村党员", "rural", "农村"),
        _t("urban", "城镇党员", "urban", "城镇"),
        _t("urban-dibao", "城镇低保", "urban, minimum living allowance", "低保"),
        _t("laid-off", "企业下岗", "laid off", "下岗"),
        _t("pre-1949", "建国前入党老党员", "joined before 1949", "建国前老党员"),
        _t("wubao", "五保户", "five-guarantees household", "五保"),
        _t("serving", "在职", "serving", "在职党员"),
        _t("retired", "退休", "retired", "退休党员"),
        _t("survivor", "遗属", "survivor", "党员遗属"),
        _t("veteran-cadre", "离休干部", "veteran cadre", "离休"),
        _t("living-alone", "高龄空巢独居", "elderly, living alone", "空巢", "独居"),
        _t("seriously-ill", "重症", "seriously ill", "重病", "大病"),
        _t("disaster", "受灾", "disaster-hit", "受灾户"),
    ), open=True),
    Vocabulary("loan-status", "借款状态", "loan status", (
        _t("current", "正常", "current"),
        _t("overdue", "逾期", "overdue"),
        _t("repaid", "已还清", "repaid", "已结清", "还清", "结清"),
        _t("written-off", "已核销", "written off", "核销"),
        _t("undisbursed", "未放款", "undisbursed"),
    )),
    Vocabulary("app-status", "申请状态", "application status", (  # view.STATUSES
        _t("pending", "办理中", "in progress", "办理"),
        _t("approved", "已批准", "approved"),
        _t("paid", "已发放", "paid", "已付", "发放"),
        _t("rejected", "不予帮扶", "rejected", "驳回"),
    )),
)}


class UnknownWord(ValueError):
    """A word that is none of a closed vocabulary's; str() is Chinese first, English in
    brackets, and names every choice in both."""

    def __init__(self, kind: str, text: str, choices: tuple[Term, ...]):
        vocab = VOCABULARIES[kind]
        self.kind, self.text = kind, text
        zh = "、".join(f"{t.zh}（{t.value}）" for t in choices)
        en = ", ".join(t.value for t in choices)
        super().__init__(f"“{text}”不是{vocab.zh}；可写：{zh} "
                         f"({text!r} is not a {vocab.en}; one of {en}, in Chinese or English)")


def _key(text: str) -> str:
    """What two spellings of one word share: full-width folded to half-width (NFKC), case,
    spaces (also U+3000), ``-`` and ``_`` dropped."""
    return re.sub(r"[\s\-_]+", "", unicodedata.normalize("NFKC", text).casefold())


def _lookup(vocab: Vocabulary) -> dict[str, Term]:
    table: dict[str, Term] = {}
    for term in vocab.terms:
        for spelling in (term.value, term.zh, term.en, *term.aliases):
            other = table.setdefault(_key(spelling), term)
            if other is not term:  # a word that means two values would be a silent guess
                raise AssertionError(f"{vocab.kind}: {spelling!r} names {other.value} and {term.value}")
    return table


_LOOKUP = {kind: _lookup(vocab) for kind, vocab in VOCABULARIES.items()}


def terms(kind: str) -> tuple[Term, ...]:
    return VOCABULARIES[kind].terms


def values(kind: str) -> tuple[str, ...]:
    return tuple(t.value for t in VOCABULARIES[kind].terms)


def canonical(kind: str, text: str, only: tuple[str, ...] | None = None) -> str:
    """The value ``text`` names, in Chinese or English (``特别困难``, ``special``, ``Special``,
    ``特别 困难``, ``ｓｐｅｃｉａｌ`` are all ``special``). A closed vocabulary raises
    ``UnknownWord`` for anything else (or a value outside ``only``); an open one returns the
    text as written, stripped."""
    term = _LOOKUP[kind].get(_key(text))
    choices = tuple(t for t in terms(kind) if only is None or t.value in only)
    if term is not None and term in choices:
        return term.value
    if VOCABULARIES[kind].open and term is None:
        return text.strip()
    raise UnknownWord(kind, text.strip(), choices)


def word(kind: str, value: str | None, lang: str = "zh", short: bool = False) -> str:
    """The Chinese (``lang="zh"``) or English word for a value; a value the vocabulary does
    not know (an open vocabulary's own, or a malformed one) as written, None as ``""``."""
    if value is None:
        return ""
    term = next((t for t in terms(kind) if t.value == value), None)
    if term is None:
        return value
    if lang == "zh":
        return (term.zh_short if short else "") or term.zh
    return (term.en_short if short else "") or term.en
