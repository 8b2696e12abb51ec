import pytest

from gongkai.core.numbers import chinese_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12),
        ("１２", 12),
        ("1,234", 1234),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("三十一", 31),
        ("两", 2),
        ("一百零五", 105),
        ("两万三千", 23000),
        ("二〇二一", 2021),
        ("甲", None),
        ("", None),
        ("十甲", None),
    ],
)
def test_chinese_number(text, value):
    assert chinese_number(text) == value
