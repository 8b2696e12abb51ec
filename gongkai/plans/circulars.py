"""督查通报第N期 as a Word document, from the numbers frozen in `Circular.data`."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from .models import Circular

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"


def _cn_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)


def _para(doc, text: str, *, size=16, bold=False, center=False, font=BODY_FONT, indent=True):
    p = doc.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    _font(p.add_run(text), font, size, bold)
    return p


def filename(circular: Circular) -> str:
    return f"督查通报第{circular.number}期.docx"


def render_docx(circular: Circular) -> bytes:
    data = circular.data
    t = data["totals"]
    doc = Document()
    _para(doc, "政务公开工作督查通报", size=22, center=True, font=TITLE_FONT)
    _para(doc, f"第{circular.number}期", size=16, center=True)
    _para(doc, f"{data['government']}政务公开办公室", size=14, center=True)
    _para(
        doc,
        f"按照《{data['plan_title']}》要求，现将{_cn_date(data['period_start'])}至"
        f"{_cn_date(data['period_end'])}任务落实情况通报如下。",
    )
    _para(doc, "一、总体情况", bold=True, font="黑体", indent=False)
    _para(
        doc,
        f"本期纳入督查的任务{t['tasks']}项、分解到各单位{t['assignments']}项，其中已完成"
        f"{t['done']}项，按序时推进{t['on_schedule']}项，尚未开始{t['not_started']}项，进度滞后"
        f"{t['behind']}项，逾期未完成{t['overdue']}项；本期报送落实情况{t['reported_in_period']}项。",
    )
    _para(doc, "二、各单位落实情况", bold=True, font="黑体", indent=False)
    labels = [
        ("done", "全部完成的单位"),
        ("behind", "进度滞后的单位"),
        ("overdue", "存在逾期未完成任务的单位"),
    ]
    for key, label in labels:
        names = data["classes"].get(key) or []
        _para(doc, f"{label}（{len(names)}个）：{'、'.join(names) if names else '无'}。")
    _para(doc, "三、工作要求", bold=True, font="黑体", indent=False)
    _para(
        doc,
        "请进度滞后和逾期未完成任务的单位对照附件逐项分析原因，明确整改措施和完成时限，"
        "及时在工作台账中报送落实情况。",
    )
    doc.add_page_break()
    _para(doc, "附件：进度滞后和逾期未完成任务清单", bold=True, font="黑体", indent=False)
    annex = data["annex"]
    header = ["序号", "具体要求", "责任单位", "完成时限", "序时进度", "完成进度", "状态"]
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for item in annex:
        cells = table.add_row().cells
        values = [
            str(item["n"]),
            item["requirement"],
            item["organisation"] + (f"（{item['period']}）" if item["period"] else ""),
            item["due_on"] or "无",
            f"{item['expected']}%" if item["expected"] is not None else "—",
            f"{item['progress']}%",
            item["status_label"],
        ]
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    if not annex:
        _para(doc, "本期无进度滞后或逾期未完成的任务。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
