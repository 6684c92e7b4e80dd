"""Names are masked the SPEC §7 way in every internal output."""

import pytest

from fundledger.masking import mask_name


@pytest.mark.parametrize(("name", "masked"), [
    ("李金明", "李*明"),          # three characters: surname and last
    ("李明", "李*"),              # two characters: surname only
    ("李金明亮", "李**亮"),        # four or more: first and last
    ("欧阳修", "欧阳*"),           # compound surname kept whole
    ("欧阳明月", "欧阳*月"),
    ("司马相如", "司马*如"),
    ("阿卜杜·热合曼", "阿*杜·热*曼"),  # each part of a ·-joined name
    ("买买提·吐尔逊", "买*提·吐*逊"),
    ("  张秀兰 ", "张*兰"),
    ("王", "*"),
    ("", "*"),
    (None, "*"),
])
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_masked_name_never_contains_the_full_name():
    for name in ["李金明", "欧阳修", "司马相如", "阿卜杜·热合曼", "张秀兰", "王小二"]:
        assert name not in mask_name(name)
