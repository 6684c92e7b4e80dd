"""Masking members' names for internal outputs (SPEC §7): 李金明 → 李*明.

Two characters keep the surname (李*); three or more keep the surname and the last character
(李**亮); a compound surname (欧阳, 司马…) is kept whole (欧阳*, 司马*如); names joined with
``·`` are masked part by part (阿*杜·热*曼).
"""

from __future__ import annotations

COMPOUND_SURNAMES = frozenset("""
欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 司空 夏侯 轩辕 令狐 端木 独孤
南宫 西门 万俟 闻人 赫连 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 钟离 呼延 百里 东郭 拓跋
第五 公羊 谷梁 左丘 梁丘 羊舌 微生 南门 东门 仲孙 叔孙 巫马 公西 漆雕 乐正 壤驷 公良 段干
司寇 子车 颛孙 亓官 鲜于 闾丘 呼衍 尉迟 况后 归海 有琴 梁丘 车正 王孙 乌雅 章佳 叶赫 那拉
""".split())

SEPARATORS = "·•‧・."


def _mask_part(part: str, compound: bool) -> str:
    if not part:
        return part
    head = 2 if compound and part[:2] in COMPOUND_SURNAMES and len(part) > 2 else 1
    surname, given = part[:head], part[head:]
    if not given:
        return "*" * len(part) if len(part) == 1 else part[0] + "*" * (len(part) - 1)
    if len(given) == 1:
        return surname + "*"
    return surname + "*" * (len(given) - 1) + given[-1]


def mask_name(name: str | None) -> str:
    """The name as internal outputs show it; ``None`` and blanks give ``*``."""
    if not name or not name.strip():
        return "*"
    name = name.strip()
    for sep in SEPARATORS:
        if sep in name:
            return sep.join(_mask_part(p, compound=False) for p in name.split(sep))
    return _mask_part(name, compound=True)
