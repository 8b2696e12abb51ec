"""Excel export of a consultation's comments (staff only: it carries names and contacts)."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from gongkai.core.text import book_title

HEADERS = [
    "序号",
    "提出时间",
    "来源渠道",
    "提出人",
    "联系方式",
    "针对条款",
    "意见内容",
    "审核状态",
    "意见归类",
    "采纳情况",
    "理由",
]
WIDTHS = [6, 18, 10, 12, 18, 16, 60, 12, 16, 10, 40]


def safe_cell(value):
    """Text that a spreadsheet would run as a formula (=, +, -, @ …) is prefixed with an
    apostrophe, so an exported comment can never execute."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def comments_xlsx(consultation) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "意见汇总"
    ws.append([f"{book_title(consultation.title)}征求意见汇总"])
    ws.append(
        [
            f"征集单位：{consultation.organisation.name}　征求意见期限："
            f"{consultation.opens_on:%Y-%m-%d} 至 {consultation.closes_on:%Y-%m-%d}"
        ]
    )
    ws.append(HEADERS)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    comments = consultation.comments.order_by("submitted_at", "id")
    for i, c in enumerate(comments, 1):
        ws.append(
            [
                i,
                timezone.localtime(c.submitted_at).strftime("%Y-%m-%d %H:%M"),
                c.get_channel_display(),
                safe_cell(c.author_name),
                safe_cell(c.contact),
                safe_cell(c.clause),
                safe_cell(c.body),
                c.get_moderation_display(),
                safe_cell(c.topic),
                c.get_disposition_display() if c.disposition else "",
                safe_cell(c.reason),
            ]
        )
    for idx, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[ws.cell(row=3, column=idx).column_letter].width = width
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
