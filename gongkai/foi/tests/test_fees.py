"""信息处理费 bands (国办函〔2020〕109号, RULES.md §3)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.foi.fees import fee_by_count, fee_by_pages


@pytest.mark.parametrize(
    ("n", "fee"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (55, 400)],
)
def test_by_count_per_month(n, fee):
    assert fee_by_count(n) == Decimal(fee)


@pytest.mark.parametrize(
    ("pages", "fee"),
    [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700)],
)
def test_by_pages_progressive(pages, fee):
    assert fee_by_pages(pages) == Decimal(fee)


@given(st.integers(0, 5000))
def test_by_pages_is_monotonic_and_marginal_rate_is_a_band(pages):
    step = fee_by_pages(pages + 1) - fee_by_pages(pages)
    assert step in {Decimal(0), Decimal(10), Decimal(20), Decimal(40)}


def test_bad_quantities():
    with pytest.raises(ValueError, match="从 1 开始"):
        fee_by_count(0)
    with pytest.raises(ValueError, match="负数"):
        fee_by_pages(-1)
