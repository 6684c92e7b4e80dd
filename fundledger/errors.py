"""The fund's error type and the catalogue of rule codes (SPEC §5).

Errors are beancount errors: a ``source`` meta (file and line), a message and the entry,
so ``bean-check``, Fava and ``fundledger check`` print them at the offending directive.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from beancount.core import data


class FundError(NamedTuple):
    # The class name equals the bound name so the error pickles into beancount's cache.
    source: dict[str, Any]
    message: str
    entry: Any


# code -> (Chinese summary, English summary); the English text is the SPEC's own wording.
CODES: dict[str, tuple[str, str]] = {
    "FL000": ("fundledger 内部错误", "internal fault in fundledger"),
    "FL101": ("不允许财政资金", "fiscal income while fiscal-allowed is FALSE"),
    "FL102": ("账户不属于基金的任何用途", "an account outside the fund's roles"),
    "FL103": ("政策指令有误", "bad policy directive"),
    "FL104": ("编号重复", "duplicate member, application or loan ID"),
    "FL105": ("救济分录缺少 member:", "relief posting without member"),
    "FL106": ("基金指令格式有误", "malformed fund directive"),
    "FL107": ("凭证号重复", "a voucher number used by two transactions"),
    "FL201": ("缺少有效申请", "relief or loan without a known application"),
    "FL202": ("申请与用途或受助人不符", "application kind or member does not match its use"),
    "FL203": ("付款前缺少必经步骤", "a required step is missing before the payment"),
    "FL204": ("步骤顺序有误", "steps out of order, or a step after rejection"),
    "FL205": ("公示期不足", "the step after publicity comes too soon"),
    "FL206": ("付款超过批准金额", "more paid than approved"),
    "FL301": ("借款金额超出范围", "loan above loan-max or below loan-min"),
    "FL302": ("还款期限有误", "due: missing or beyond the loan term"),
    "FL303": ("缺少担保", "no guarantor"),
    "FL304": ("超过年度借款名额", "more loans in a year than loan-annual-quota"),
    "FL305": ("借款人已有未还借款", "member already has loan-per-member loans outstanding"),
    "FL306": ("利率超过上限", "rate above loan-rate-max"),
    "FL307": ("借款账户记账有误", "loan disbursed twice, repaid below zero, or posted before disbursement"),
    "FL308": ("核销未经批准", "write-off without approval"),
    "FL401": ("受助人未登记或不符合条件", "beneficiary not registered or not eligible"),
    "FL402": ("可支用资金不足", "relief or fees larger than the spendable pool"),
    "FL403": ("超过年度救济上限", "relief above relief-cap-year"),
    "FL404": ("生活补助金额不符", "subsidy not equal to the tier's monthly rate × months"),
    "FL405": ("助学金超标或重复", "education grant above the cap, or a second one"),
    "FL501": ("现金账户出现负数", "a cash account below zero at the end of a day"),
}

_NOWHERE = data.new_metadata("<fundledger>", 0)


def fund_error(code: str, detail_zh: str, detail_en: str | None, entry: Any) -> FundError:
    """An error at ``entry``: ``CODE 中文说明 (English summary[: detail])``."""
    english = CODES[code][1] if not detail_en else f"{CODES[code][1]}: {detail_en}"
    meta = getattr(entry, "meta", None) or _NOWHERE
    return FundError(meta, f"{code} {detail_zh} ({english})", with_values(entry))


def with_values(entry: Any) -> Any:
    """``entry``, but a ``custom "x"`` written with no values gets an empty list: the parser
    leaves it ``values=None``, on which beancount's printer (bean-check -v) and its own pad
    plugin fail. Any other entry is returned as it is."""
    if isinstance(entry, data.Custom) and entry.values is None:
        return entry._replace(values=[])
    return entry


def internal_error(entry: Any, exc: BaseException) -> FundError:
    """What a fault inside fundledger becomes: one error naming the entry, never a traceback."""
    where = ""
    if entry is not None and getattr(entry, "meta", None):
        where = f" 处理 {type(entry).__name__} 时"
    return fund_error(
        "FL000",
        f"fundledger 内部错误{where}: {type(exc).__name__}: {exc}；请报告此问题",
        f"{type(exc).__name__}: {exc}",
        entry,
    )
