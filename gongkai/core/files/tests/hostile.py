"""The hostile-files corpus, generated (each file small or made cheaply): used by the tests of
core.files and of every upload point and import command."""

from __future__ import annotations

import io
import zipfile

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def _docx(document_xml: bytes | str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", document_xml)
    return out.getvalue()


def docx_with_text(text: str) -> bytes:
    return _docx(
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'
        f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    )


def expanding_docx(unpacked_bytes: int) -> bytes:
    """A .docx whose document.xml inflates to about `unpacked_bytes` (a zip bomb: one
    paragraph repeated, compressed about 1000:1)."""
    paragraph = "<w:p><w:r><w:t>一二三四五六七八九十</w:t></w:r></w:p>"
    count = unpacked_bytes // len(paragraph.encode()) + 1
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        with z.open("word/document.xml", "w") as fh:
            fh.write(f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>'.encode())
            chunk = (paragraph * 1000).encode()
            for _ in range(count // 1000 + 1):
                fh.write(chunk)
            fh.write(b"</w:body></w:document>")
    return out.getvalue()


def billion_laughs_docx() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    return _docx(
        f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )


def xxe_docx() -> bytes:
    return _docx(
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )


def _xlsx_with_sheet(sheet_xml: bytes | None = None, *, rows: int = 0) -> bytes:
    """A real workbook (openpyxl) whose first sheet's XML is replaced: by `sheet_xml`, or by
    `rows` rows of numbers written in a stream."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "标题"
    buf = io.BytesIO()
    wb.save(buf)
    source = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info, source.read(info.filename))
                continue
            with z.open("xl/worksheets/sheet1.xml", "w") as fh:
                if sheet_xml is not None:
                    fh.write(sheet_xml)
                    continue
                fh.write(
                    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main"><sheetData>'
                )
                for start in range(1, rows + 1, 10000):
                    fh.write(
                        b"".join(
                            b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n)
                            for n in range(start, min(start + 10000, rows + 1))
                        )
                    )
                fh.write(b"</sheetData></worksheet>")
    return out.getvalue()


def huge_dimension_xlsx() -> bytes:
    """A 2 KB workbook declaring A1:XFD1048576 with a value in its last cell: calamine asks
    for 512 GB for it, openpyxl pads every row to 16,384 columns."""
    return _xlsx_with_sheet(
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1"><c r="A1"><v>1</v></c></row>'
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    )


def million_rows_xlsx(rows: int = 1_000_000) -> bytes:
    return _xlsx_with_sheet(rows=rows)


def million_rows_csv(rows: int = 1_000_000) -> bytes:
    return b"a,b\n" + b"1,2\n" * rows


def malformed_zip() -> bytes:
    return b"PK\x03\x04" + b"\x14\x00\x00\x00\x08\x00" + b"\xde\xad\xbe\xef" * 64


def renamed_executable() -> bytes:
    """The start of a Windows PE executable (an .exe), to be named .docx or .pdf."""
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
    )


def odt_with_external_image(url: str) -> bytes:
    """An OpenDocument text whose only image is linked (not embedded) from `url`."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"'
        ' xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"'
        ' xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2">'
        "<office:body><office:text><text:p>工作要点</text:p><text:p>"
        '<draw:frame draw:name="img" text:anchor-type="as-char" svg:width="2cm" svg:height="2cm">'
        f'<draw:image xlink:href="{url}" xlink:type="simple" xlink:show="embed"'
        ' xlink:actuate="onLoad"/></draw:frame></text:p>'
        "<text:p>1.推进政务公开。</text:p></office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text"
        )  # stored, first
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def billion_laughs_xlsx() -> bytes:
    """A workbook whose sheet XML declares nested entities (billion laughs)."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    return _xlsx_with_sheet(
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]><worksheet xmlns='
        '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>".encode()
    )


def repeated_rows_ods(rows: int = 1_048_576, columns: int = 50) -> bytes:
    """An OpenDocument spreadsheet of 1 KB whose one row of values is repeated a million
    times (table:number-rows-repeated): calamine expands it in memory."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="S">'
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{columns}" office:value-type="float"'
        ' office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0"?><manifest:manifest'
        ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def yaml_alias_bomb() -> bytes:
    """An organisations YAML whose children alias each other ten times per level (billion
    laughs in YAML): a few hundred bytes that name 10⁹ organisations."""
    lines = ["x0: &a0 [{name: 某局}]"]
    for i in range(1, 10):
        lines.append(
            f"x{i}: &a{i} [" + ", ".join([f"{{name: 某局, children: *a{i - 1}}}"] * 10) + "]"
        )
    lines.append("organisations: *a9")
    return "\n".join(lines).encode()
