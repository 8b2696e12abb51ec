"""信息处理费 (国办函〔2020〕109号, RULES.md §3): progressive bands, one scheme per request.

按件计收: per requester per calendar month, the n-th request costs 0 for n ≤ 10, 100 元 for
11–30, and 100 元 more for each further band of 10 (31–40: 200 元, 41–50: 300 元 …).
按量计收: per request, pages 1–30 free, 31–100 at 10 元/页, 101–200 at 20 元/页, 201+ at 40 元/页.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gongkai.foi.models import InfoRequest

PAGE_BANDS = ((30, Decimal(0)), (100, Decimal(10)), (200, Decimal(20)), (None, Decimal(40)))


def fee_by_count(nth_this_month: int) -> Decimal:
    """The fee for the requester's n-th request in one calendar month."""
    if nth_this_month < 1:
        raise ValueError("件数序号应从 1 开始。")
    if nth_this_month <= 10:
        return Decimal(0)
    if nth_this_month <= 30:
        return Decimal(100)
    extra_bands = (nth_this_month - 31) // 10 + 1
    return Decimal(100 + 100 * extra_bands)


def fee_by_pages(pages: int) -> Decimal:
    """The fee for one request of `pages` pages (progressive)."""
    if pages < 0:
        raise ValueError("页数不能为负数。")
    total, lower = Decimal(0), 0
    for upper, rate in PAGE_BANDS:
        top = pages if upper is None else min(pages, upper)
        if top > lower:
            total += (top - lower) * rate
        if upper is None or pages <= upper:
            break
        lower = upper
    return total


def fee_for(scheme: str, quantity: int) -> Decimal:
    if scheme == "by_count":
        return fee_by_count(quantity)
    if scheme == "by_pages":
        return fee_by_pages(quantity)
    raise ValueError(f"未知的计收方式：{scheme}")


def payment_instructions(req: InfoRequest) -> str:
    """How to pay, for the fee notice (109号: the notice states how to pay). Built from the
    handling organisation's contact details; the fee is a 行政事业性收费 paid into the treasury
    of the same level against a fiscal receipt (RULES.md §3)."""
    org = req.organisation
    parts = [
        f"请持本通知到{org.display_name}政府信息公开工作机构缴纳"
        + (
            f"（地址：{org.address}"
            + (f"，办公时间：{org.office_hours}" if org.office_hours else "")
            + "）"
            if org.address
            else ""
        ),
        "本机关按规定开具财政票据，费用全额缴入同级国库",
    ]
    if org.phone:
        parts.append(f"如有疑问请致电{org.phone}")
    return "；".join(parts) + "。"
