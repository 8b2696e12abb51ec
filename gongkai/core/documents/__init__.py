"""Official documents as Word files, laid out to GB/T 9704-2012 《党政机关公文格式》.

Every .docx the platform generates — reply letters and notices, the annual report, 督查通报 —
is built on `OfficialDocument`, so each follows the standard in one place:

- A4 (11906 × 16838 twips); 天头 37 mm, 订口 28 mm, so the type area (版心) is 156 × 225 mm;
  a document grid of 22 lines × 28 characters of 三号 (16 pt).
- Title 二号小标宋 (22 pt); body 三号仿宋; 「一、」 headings 黑体, 「（一）」 楷体, 「1.」 and
  「（1）」 仿宋; tables 五号宋体.
- 版头: 发文机关标志 (red 小标宋), 发文字号 two lines below it, centred, and the red separator
  4 mm below the 发文字号.
- 落款: the 成文日期 in Arabic numerals 右空四字, the 发文机关署名 centred over it, two blank lines
  above for the seal (7.3.5.1); unsealed documents 右空二字 (7.3.5.2).
- Page numbers 四号半角宋体 「— 1 —」 7 mm below the type area, odd pages right with one
  character's space, even pages left (odd/even footers).
- Landscape sections for wide tables with the type area turned (the table head at the binding
  edge), as 8 「公文中的横排表格」 says.

Fonts: each run names the font a government PC has (仿宋_GB2312, 方正小标宋简体, 黑体,
楷体_GB2312, 宋体) for both Latin and East Asian text, and the document's font table gives each
its English name, charset and PANOSE, so Word there uses it. A server converting to PDF with
LibreOffice maps the same names to the free Noto CJK (and AR PL Kaiti) fonts through
`fonts.conf` beside this module (./run installs it; docs/documents.md).

`gongkai.core.documents.sheets` does the same page setup for .xlsx; `inspect` reads a .docx's
sections and a PDF's characters back for the tests. A pure module: it imports no gongkai app.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Pt, RGBColor, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

FONTCONFIG = Path(__file__).with_name("fonts.conf")

# --- The page (twips: 1/20 pt; 1 mm = 56.69 twips) ---------------------------------------------

TWIPS_PER_MM = 1440 / 25.4
A4_WIDTH, A4_HEIGHT = 11906, 16838  # 210 × 297 mm
MARGIN_TOP = 2098  # 天头 37 mm
MARGIN_LEFT = 1587  # 订口 28 mm
MARGIN_RIGHT = A4_WIDTH - MARGIN_LEFT - 8845  # 26 mm: the type area is 156 mm wide
MARGIN_BOTTOM = A4_HEIGHT - MARGIN_TOP - 12756  # 35 mm: the type area is 225 mm high
TYPE_WIDTH = A4_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 8845 twips = 156 mm
TYPE_HEIGHT = A4_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 12756 twips = 225 mm
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
LINE_PITCH = TYPE_HEIGHT // LINES_PER_PAGE  # 579 twips: 22 lines fit, 23 do not
BODY_SIZE = 16  # 三号
# The grid's character pitch is the body size plus CHAR_SPACE/4096 pt: 15.79 pt × 28 ≤ 156 mm.
CHAR_SPACE = -849
CHAR_PITCH = (BODY_SIZE + CHAR_SPACE / 4096) * 20  # twips, ≈ 316
CONDENSE = -6  # twips of character spacing on grid text (see _styles)
# Distance from the page's bottom edge to the footer, set so that the dashes of 「— 1 —」 sit
# 7 mm below the type area (measured on LibreOffice's PDF: inspect.page_number_offset_mm).
FOOTER_DISTANCE = 1333
HEADER_DISTANCE = 851

# 字号 in points.
SIZES: dict[str, float] = {
    "初号": 42,
    "小初": 36,
    "一号": 26,
    "二号": 22,
    "三号": 16,
    "四号": 14,
    "小四": 12,
}
SIZES |= {"五号": 10.5, "小五": 9}
TITLE_SIZE = SIZES["二号"]
PAGE_NUMBER_SIZE = SIZES["四号"]
TABLE_SIZE = SIZES["五号"]
RED = RGBColor(0xFF, 0x00, 0x00)


# --- Fonts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Face:
    """A font as Word on a government PC knows it, and what the font table says about it."""

    name: str  # the name Word looks up (Chinese Windows)
    alt_name: str  # its English name (w:altName), for systems that list it so
    panose: str
    family: str  # roman / modern / script (w:family)


XIAOBIAOSONG = Face("方正小标宋简体", "FZXiaoBiaoSong-B05S", "02000000000000000000", "script")
FANGSONG = Face("仿宋_GB2312", "FangSong_GB2312", "02010609030101010101", "modern")
HEITI = Face("黑体", "SimHei", "02010609060101010101", "modern")
KAITI = Face("楷体_GB2312", "KaiTi_GB2312", "02010609030101010101", "modern")
SONGTI = Face("宋体", "SimSun", "02010600030101010101", "auto")
FACES = (XIAOBIAOSONG, FANGSONG, HEITI, KAITI, SONGTI)


def _el(tag: str, **attrs: str | int) -> etree._Element:
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


# Child order of the elements we edit (ECMA-376 Part 1, §17.3.1.26, §17.3.2.28, §17.4.59):
# Word refuses a file whose children are out of order.
_ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
    "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
    "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
    "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook",
    "trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader "
    "tblCellSpacing jc hidden",
}
_ORDER_INDEX = {parent: {t: i for i, t in enumerate(o.split())} for parent, o in _ORDER.items()}


def _replace(parent: Any, tag: str, **attrs: str | int) -> Any:
    """Set the single child `tag` of `parent` (replacing any) in the schema's order."""
    old = parent.find(qn(tag))
    if old is not None:
        parent.remove(old)
    new = _el(tag, **attrs)
    order = _ORDER_INDEX[etree.QName(parent).localname]
    rank = order[tag.split(":")[1]]
    for child in parent:
        if order.get(etree.QName(child).localname, -1) > rank:
            child.addprevious(new)
            return new
    parent.append(new)
    return new


def set_font(
    run_or_style: Any,
    face: Face,
    size: float | None = None,
    *,
    bold: bool | None = None,
    color: RGBColor | None = None,
) -> None:
    """Give a run (or a style) `face` for Latin and East Asian text alike, so Word shows one
    font and does not fall back to its theme fonts."""
    element = getattr(run_or_style, "element", None)
    if element is None:
        element = run_or_style._element
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for key in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{key}"), face.name)
    fonts.set(qn("w:hint"), "eastAsia")
    font = run_or_style.font
    if size is not None:
        font.size = Pt(size)
        _replace(rpr, "w:szCs", val=int(size * 2))
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = color


def _font_table(document: DocxDocument) -> None:
    """Declare the faces in word/fontTable.xml with their English names, the GB2312 charset and
    PANOSE numbers, as Word writes them."""
    part = next(
        rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")
    )
    root = etree.fromstring(part.blob)
    for face in FACES:
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), face.name)
        for tag, value in (
            ("altName", face.alt_name),
            ("panose1", face.panose),
            ("charset", "86"),
            ("family", face.family),
            ("pitch", "variable"),
        ):
            etree.SubElement(font, qn(f"w:{tag}")).set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- Styles --------------------------------------------------------------------------------------

STYLE_TITLE = "公文标题"
STYLE_HEADINGS = {1: "一级标题", 2: "二级标题", 3: "三级标题", 4: "四级标题"}
HEADING_FACES = {1: HEITI, 2: KAITI, 3: FANGSONG, 4: FANGSONG}
STYLE_TABLE_TEXT = "表格文字"
STYLE_PAGE_NUMBER = "页码"


def _indent(ppr: Any, *, first_chars: float = 0, left: int = 0, right: int = 0) -> None:
    attrs: dict[str, int] = {"left": left, "right": right}
    if first_chars:
        attrs |= {
            "firstLine": round(first_chars * CHAR_PITCH),
            "firstLineChars": int(first_chars * 100),
        }
    else:
        attrs |= {"firstLine": 0, "firstLineChars": 0}
    _replace(ppr, "w:ind", **attrs)


def _styles(document: DocxDocument) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    fonts = etree.SubElement(rpr, qn("w:rFonts"))
    for key in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{key}"), FANGSONG.name)
    etree.SubElement(rpr, qn("w:kern")).set(qn("w:val"), "2")
    etree.SubElement(rpr, qn("w:sz")).set(qn("w:val"), str(BODY_SIZE * 2))
    etree.SubElement(rpr, qn("w:szCs")).set(qn("w:val"), str(BODY_SIZE * 2))
    lang = etree.SubElement(rpr, qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(ppr):
        ppr.remove(child)

    normal = styles["Normal"]
    set_font(normal, FANGSONG, BODY_SIZE)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = False
    _indent(normal.element.get_or_add_pPr(), first_chars=2)
    # The body keeps to the grid by its own measures, so that Word and LibreOffice lay it out
    # alike: exactly one grid line per line, and characters condensed by 0.3 pt, so that 28
    # fit the type area (LibreOffice gives a character wider than a grid cell two cells
    # instead of setting it on Word's 15.79 pt pitch). Paragraphs do not snap to the grid.
    fmt.line_spacing = Twips(LINE_PITCH)
    _replace(normal.element.get_or_add_pPr(), "w:snapToGrid", val=0)
    _replace(normal.element.get_or_add_rPr(), "w:spacing", val=CONDENSE)
    # No extra space between Chinese and Latin text or digits (〔2026〕12号, 2026年3月16日).
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        _replace(normal.element.get_or_add_pPr(), tag, val=0)
    # overflowPunct on (Word's default) — LibreOffice 7.4 reads it the other way round and
    # lets a 「。」 hang past the type area only when it is off.
    _replace(normal.element.get_or_add_pPr(), "w:overflowPunct", val=1)

    title = styles.add_style(STYLE_TITLE, WD_STYLE_TYPE.PARAGRAPH)
    title.base_style = normal
    set_font(title, XIAOBIAOSONG, TITLE_SIZE)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(TITLE_SIZE * 1.5)  # exact: 33 pt per line
    _replace(title.element.get_or_add_pPr(), "w:snapToGrid", val=0)
    _indent(title.element.get_or_add_pPr())

    for level, name in STYLE_HEADINGS.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.next_paragraph_style = normal
        set_font(style, HEADING_FACES[level])
        _replace(style.element.get_or_add_pPr(), "w:outlineLvl", val=level - 1)

    table_text = styles.add_style(STYLE_TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    set_font(table_text, SONGTI, TABLE_SIZE)
    table_text.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table_text.paragraph_format.line_spacing = 1.0
    _replace(table_text.element.get_or_add_pPr(), "w:snapToGrid", val=0)
    _indent(table_text.element.get_or_add_pPr())

    page_number = styles.add_style(STYLE_PAGE_NUMBER, WD_STYLE_TYPE.PARAGRAPH)
    page_number.base_style = normal
    set_font(page_number, SONGTI, PAGE_NUMBER_SIZE)
    _replace(page_number.element.get_or_add_pPr(), "w:snapToGrid", val=0)
    _indent(page_number.element.get_or_add_pPr())


# --- Sections and page numbers -------------------------------------------------------------------


def _page_setup(section: Section, *, landscape: bool = False) -> None:
    """A4 with the GB/T 9704 type area. Landscape turns the page so that the table head lies at
    the binding edge: the portrait 订口 becomes the top margin, the 天头 the right one."""
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Twips(A4_HEIGHT), Twips(A4_WIDTH)
        section.top_margin, section.bottom_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
        section.left_margin, section.right_margin = Twips(MARGIN_BOTTOM), Twips(MARGIN_TOP)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Twips(A4_WIDTH), Twips(A4_HEIGHT)
        section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
        section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    section.header_distance = Twips(HEADER_DISTANCE)
    # The page number 7 mm below the type area on a turned page too (its bottom margin is the
    # portrait right margin, 9 mm narrower).
    turned = MARGIN_BOTTOM - MARGIN_RIGHT if landscape else 0
    section.footer_distance = Twips(FOOTER_DISTANCE - turned)
    section.gutter = Twips(0)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    for attr in list(grid.attrib):
        del grid.attrib[attr]
    # The grid counts lines of the portrait type area; a turned page keeps the body's line
    # pitch (its tables do not snap to the grid).
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))


def _page_number_field(paragraph: Paragraph) -> None:
    """「— PAGE —」: 一字线, a space, the page number, a space, 一字线."""

    def text(value: str) -> None:
        run = paragraph.add_run(value)
        set_font(run, SONGTI, PAGE_NUMBER_SIZE)

    def field_char(kind: str) -> None:
        run = paragraph.add_run()
        set_font(run, SONGTI, PAGE_NUMBER_SIZE)
        run._element.append(_el("w:fldChar", fldCharType=kind))

    text("— ")
    field_char("begin")
    run = paragraph.add_run()
    set_font(run, SONGTI, PAGE_NUMBER_SIZE)
    instr = OxmlElement("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = " PAGE "
    run._element.append(instr)
    field_char("separate")
    text("1")
    field_char("end")
    text(" —")


def _page_numbers(section: Section) -> None:
    """Odd pages: right, one character (四号) in; even pages: left, one character in."""
    one_char = int(PAGE_NUMBER_SIZE * 20)
    for footer, alignment, indent in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, {"right": one_char}),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, {"left": one_char}),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        for run in list(paragraph.runs):
            run._element.getparent().remove(run._element)
        paragraph.style = STYLE_PAGE_NUMBER
        paragraph.alignment = alignment
        _indent(paragraph._p.get_or_add_pPr(), **indent)
        _page_number_field(paragraph)


# --- The document --------------------------------------------------------------------------------

HEADING = re.compile(
    r"^(?:(?P<l1>[一二三四五六七八九十百]+、)|(?P<l2>（[一二三四五六七八九十百]+）)"
    r"|(?P<l3>\d+[.．])|(?P<l4>（\d+）))"
)
INDENT_CHARS = " \t\u3000"


def heading_level(text: str) -> int:
    """The level of a structural number at the start of `text` (一、 → 1, （一） → 2, 1. → 3,
    （1） → 4), or 0."""
    m = HEADING.match(text)
    if not m:
        return 0
    return next(level for level in (1, 2, 3, 4) if m.group(f"l{level}"))


ASCII_WIDTH = 0.6  # 仿宋_GB2312's digits are half a character; the fallback's, with the space
# LibreOffice adds between Chinese and Latin text, about 0.7.


def text_width(text: str) -> float:
    """The width of `text` in characters of the grid (ASCII counts ASCII_WIDTH)."""
    return sum(ASCII_WIDTH if ord(ch) < 0x2E80 and ch != "—" else 1 for ch in text)


def date_cn(on: date) -> str:
    """成文日期: 2026年3月6日 (Arabic numerals, the year in full, no leading zeros)."""
    return f"{on.year}年{on.month}月{on.day}日"


Cell = tuple[str, int, int] | None  # (text, colspan, rowspan); None under a merged cell


class OfficialDocument:
    """A .docx in the GB/T 9704 layout; add its parts in order, then `save()`."""

    def __init__(self) -> None:
        self.docx = Document()
        _styles(self.docx)
        _font_table(self.docx)
        self.docx.settings.odd_and_even_pages_header_footer = True
        section = self.docx.sections[0]
        _page_setup(section)
        _page_numbers(section)
        body = self.docx.element.body
        for paragraph in body.findall(qn("w:p")):  # the template's empty first paragraph
            body.remove(paragraph)
        self.landscape = False

    # paragraphs ---------------------------------------------------------------------------------

    def paragraph(
        self,
        text: str = "",
        *,
        style: str | None = None,
        runs: Iterable[tuple[str, Face | None]] = (),
    ) -> Paragraph:
        paragraph = self.docx.add_paragraph(style=style)
        if text:
            paragraph.add_run(text)
        for run_text, face in runs:
            run = paragraph.add_run(run_text)
            if face is not None:
                set_font(run, face)
        return paragraph

    def blank(self, lines: int = 1) -> None:
        for _ in range(lines):
            self.paragraph()

    def masthead(self, mark: str, number: str, *, issuer: str = "", on: date | None = None) -> None:
        """版头: 发文机关标志 (`mark`) in red 小标宋 35 mm below the top of the type area, the
        发文字号 two lines below it, centred, and the red separator the width of the type area
        4 mm below (7.2.4, 7.2.5, 7.2.7). With `issuer` and `on` (a 简报-style masthead, e.g. a
        督查通报), the line above the separator gives the issuer on the left and the date on the
        right."""
        paragraph = self.paragraph(style=STYLE_TITLE)
        size = SIZES["一号"] if text_width(mark) <= 12 else SIZES["二号"]
        set_font(paragraph.add_run(mark), XIAOBIAOSONG, size, color=RED)
        paragraph.paragraph_format.line_spacing = Pt(size * 1.4)
        paragraph.paragraph_format.space_before = Pt(35 * 72 / 25.4 - size * 0.2)
        self.blank(2)
        line = self.paragraph(number)
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _indent(line._p.get_or_add_pPr())
        if issuer or on:
            line = self.paragraph(f"{issuer}\t{date_cn(on) if on else ''}")
            _indent(line._p.get_or_add_pPr())
            line.paragraph_format.tab_stops.add_tab_stop(Twips(TYPE_WIDTH), WD_TAB_ALIGNMENT.RIGHT)
        # 4 mm ≈ 11 pt between the text and the line; the line 1.5 pt, red.
        borders = _replace(line._p.get_or_add_pPr(), "w:pBdr")
        borders.append(_el("w:bottom", val="single", sz=12, space=11, color="FF0000"))

    def title(self, text: str) -> None:
        """标题: 二号小标宋, centred; a long title breaks at the given newlines."""
        for line in text.splitlines() or [text]:
            self.paragraph(line, style=STYLE_TITLE)

    def addressee(self, text: str) -> None:
        """主送机关: flush left, ending in a full-width colon."""
        paragraph = self.paragraph(text.strip(INDENT_CHARS))
        _indent(paragraph._p.get_or_add_pPr())

    def heading(self, text: str, level: int = 1) -> None:
        self.paragraph(text.strip(INDENT_CHARS), style=STYLE_HEADINGS[level])

    def text(self, text: str) -> None:
        """A body paragraph: 首行缩进二字 (leading spaces in the text are dropped). A structural
        number at its start makes it a heading of that level — the whole paragraph when it is a
        short line of its own, otherwise its first sentence only (in the level's font)."""
        text = text.strip(INDENT_CHARS)
        level = heading_level(text)
        if not level:
            self.paragraph(text)
            return
        head, sep, rest = text.partition("。")
        if not rest.strip():
            self.heading(text, level)
            return
        self.paragraph(runs=[(head + sep, HEADING_FACES[level]), (rest, None)])

    def texts(self, lines: Iterable[str]) -> None:
        for line in lines:
            if line.strip(INDENT_CHARS):
                self.text(line)

    def attachments(self, names: Sequence[str]) -> None:
        """附件说明: a blank line, then 「附件：」 (numbered when there are several)."""
        self.blank()
        if len(names) == 1:
            self.paragraph(f"附件：{names[0]}")
            return
        for i, name in enumerate(names, start=1):
            self.paragraph(("附件：" if i == 1 else "\u3000\u3000\u3000") + f"{i}.{name}")

    def signature(self, issuer: str, on: date, *, sealed: bool = True) -> None:
        """落款. Sealed (7.3.5.1): two blank lines for the seal, the 成文日期 右空四字 and the
        署名 centred over it. Unsealed (7.3.5.2): a blank line, the 署名 右空二字 and the date
        below it, two characters further right — or 右空二字 itself when it is longer."""
        date_text = date_cn(on)
        w_issuer, w_date = text_width(issuer), text_width(date_text)
        if sealed:
            self.blank(2)
            date_right = 4.0
            issuer_right = max(0.0, date_right + (w_date - w_issuer) / 2)
        else:
            self.blank(1)
            issuer_right = 2.0
            date_right = issuer_right + w_issuer - 2 - w_date
            if date_right < 2:
                date_right = 2.0
                issuer_right = date_right + w_date + 2 - w_issuer
        for text, right in ((issuer, issuer_right), (date_text, date_right)):
            paragraph = self.paragraph(text)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _indent(paragraph._p.get_or_add_pPr(), right=round(right * CHAR_PITCH))

    def note(self, text: str) -> None:
        """附注: 居左空二字, in round brackets, the line after the 成文日期 (7.3.6)."""
        self.paragraph(text if text.startswith("（") else f"（{text}）")

    def annex(self, title: str, number: int | None = None, *, landscape: bool = False) -> None:
        """附件 on a new page: 「附件」 (and its number) 黑体 at the top left, the title centred
        on the third line (7.3.7)."""
        if landscape != self.landscape:
            self.section(landscape=landscape)
        else:
            self.page_break()
        label = "附件" if number is None else f"附件{number}"
        paragraph = self.paragraph(label, style=STYLE_HEADINGS[1])
        _indent(paragraph._p.get_or_add_pPr())
        self.blank()
        self.title(title)
        self.blank()

    def page_break(self) -> None:
        paragraph = self.docx.paragraphs[-1] if self.docx.paragraphs else self.paragraph()
        paragraph.add_run().add_break(WD_BREAK.PAGE)

    def section(self, *, landscape: bool) -> None:
        """Start a new page in portrait or turned (landscape) orientation."""
        section = self.docx.add_section(WD_SECTION.NEW_PAGE)
        _page_setup(section, landscape=landscape)
        self.landscape = landscape

    @property
    def type_width_mm(self) -> float:
        return (TYPE_HEIGHT if self.landscape else TYPE_WIDTH) / TWIPS_PER_MM

    # tables -------------------------------------------------------------------------------------

    def table(
        self,
        grid: Sequence[Sequence[Cell]],
        widths_mm: Sequence[float],
        *,
        header_rows: int = 1,
        left_columns: Iterable[int] = (),
        size: float = TABLE_SIZE,
    ) -> Table:
        """A bordered table from a grid of (text, colspan, rowspan) cells, with fixed column
        widths (mm; scaled down to the type area if wider). The header rows are repeated on each
        page (w:tblHeader) in 黑体; no row breaks across pages (w:cantSplit). Cells of
        `left_columns` outside the header are aligned left, the rest centred."""
        n_cols = len(widths_mm)
        scale = min(1.0, self.type_width_mm / sum(widths_mm))
        widths = [round(w * scale * TWIPS_PER_MM) for w in widths_mm]
        left = set(left_columns)
        table: Table = self.docx.add_table(rows=len(grid), cols=n_cols)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        _replace(tbl_pr, "w:tblW", w=sum(widths), type="dxa")
        margins = _replace(tbl_pr, "w:tblCellMar")
        for side, value in (("top", 28), ("left", 57), ("bottom", 28), ("right", 57)):
            margins.append(_el(f"w:{side}", w=value, type="dxa"))
        for col, width in zip(table.columns, widths, strict=True):
            col.width = Twips(width)
        # Cells are reached through the rows' XML: python-docx's table.cell() walks the whole
        # table on each call. Merges come last, when every cell has its content.
        merges = []
        style_id = self.docx.styles[STYLE_TABLE_TEXT].style_id  # looked up once: it is slow
        for r, (tr, row) in enumerate(zip(table._tbl.tr_lst, grid, strict=True)):
            tr_pr = tr.get_or_add_trPr()
            _replace(tr_pr, "w:cantSplit")
            if r < header_rows:
                _replace(tr_pr, "w:tblHeader")
            for c, (tc, spec) in enumerate(zip(tr.tc_lst, row, strict=True)):
                tc.width = Twips(widths[c])
                cell = _Cell(tc, table)
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                paragraph = cell.paragraphs[0]
                paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = style_id
                if spec is None:
                    continue
                text, colspan, rowspan = spec
                if r >= header_rows and c in left:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
                run = paragraph.add_run(text)
                if r < header_rows:
                    set_font(run, HEITI, size)
                elif size != TABLE_SIZE:
                    run.font.size = Pt(size)
                if colspan > 1 or rowspan > 1:
                    merges.append((r, c, r + rowspan - 1, c + colspan - 1))
        for r, c, r2, c2 in merges:
            table.cell(r, c).merge(table.cell(r2, c2))
        return table

    def keep_together(self, table: Table) -> None:
        """Keep a short table on one page: every row's paragraphs keep with the next row."""
        for row in table.rows[:-1]:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True

    # output -------------------------------------------------------------------------------------

    def save(self) -> bytes:
        # A document must end with a paragraph; after a table, a small one that takes no room.
        body = self.docx.element.body
        last = body[-2] if len(body) > 1 else None  # body[-1] is the sectPr
        if last is not None and last.tag == qn("w:tbl"):
            paragraph = self.docx.add_paragraph()
            paragraph.paragraph_format.line_spacing = Pt(1)
            _replace(paragraph._p.get_or_add_pPr(), "w:snapToGrid", val=0)
        buf = io.BytesIO()
        self.docx.save(buf)
        return buf.getvalue()
