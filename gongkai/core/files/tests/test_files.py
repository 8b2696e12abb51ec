"""core.files: archives, XML, sheets, content and the bounded child, on the hostile corpus."""

from __future__ import annotations

import pytest

from gongkai.core.files import (
    FileRefused,
    check_archive,
    check_content,
    decode_text,
    read_sheet_rows,
    run_bounded,
)
from gongkai.core.files.tests import hostile

MB = 1024 * 1024


@pytest.fixture
def small_limits(settings):
    settings.GONGKAI_FILE_LIMITS = {
        "unpacked_bytes": 4 * MB,
        "ratio": 50,
        "rows": 1000,
        "columns": 50,
        "memory_bytes": 256 * MB,
        "cpu_seconds": 20,
        "wall_seconds": 60,
    }
    return settings.GONGKAI_FILE_LIMITS


def test_zip_bomb_refused_from_the_directory_naming_the_limit(small_limits):
    with pytest.raises(FileRefused, match=r"解压后超过 4 MB 上限"):
        check_archive(hostile.expanding_docx(6 * MB), "bomb.docx")


def test_compression_ratio_refused(small_limits, settings):
    settings.GONGKAI_FILE_LIMITS = small_limits | {"unpacked_bytes": 100 * MB}
    with pytest.raises(FileRefused, match=r"压缩比超过 50 倍上限"):
        check_archive(hostile.expanding_docx(3 * MB), "bomb.docx")


@pytest.mark.parametrize("make", [hostile.billion_laughs_docx, hostile.xxe_docx])
def test_dtd_in_an_xml_part_refused(make):
    with pytest.raises(FileRefused, match=r"XML 实体声明（DTD）.*不允许 DTD 和实体"):
        check_archive(make(), "laughs.docx")


def test_malformed_zip_refused():
    with pytest.raises(FileRefused, match=r"不是有效的 Word（\.docx）文档"):
        check_archive(hostile.malformed_zip(), "broken.docx")


def test_huge_declared_dimension_is_refused_before_any_reader(small_limits):
    with pytest.raises(FileRefused, match=r"工作表「sheet1」超过 1000 行上限"):
        read_sheet_rows(hostile.huge_dimension_xlsx(), "dim.xlsx")


def test_a_million_rows_is_refused_at_the_row_budget(small_limits, settings):
    settings.GONGKAI_FILE_LIMITS = small_limits | {"unpacked_bytes": 200 * MB, "ratio": 1000}
    with pytest.raises(FileRefused, match=r"超过 1000 行上限"):
        read_sheet_rows(hostile.million_rows_xlsx(), "rows.xlsx")


def test_sheet_within_budget_is_read():
    rows = read_sheet_rows(hostile.million_rows_xlsx(rows=20), "rows.xlsx")
    assert [r[0] for r in rows] == list(range(1, 21))


@pytest.mark.parametrize("name", ["id.docx", "id.pdf", "id.jpg", "plan.xlsx"])
def test_renamed_executable_refused_by_its_bytes(name):
    with pytest.raises(FileRefused, match="可执行程序"):
        check_content(hostile.renamed_executable(), name)


def test_content_must_match_the_extension():
    with pytest.raises(FileRefused, match=r"内容与扩展名 \.pdf 不符"):
        check_content(b"\x89PNG\r\n\x1a\n....", "scan.pdf")
    with pytest.raises(FileRefused, match=r"内容与扩展名 \.docx 不符"):
        check_content(hostile.million_rows_xlsx(rows=1), "plan.docx")  # a zip, not Word
    check_content(hostile.docx_with_text("正文"), "plan.docx")
    check_content(b"%PDF-1.7\n", "scan.pdf")


def test_decode_text_utf8_then_gb18030():
    assert decode_text("政务公开".encode("gb18030")) == "政务公开"
    assert decode_text("\ufeff政务公开".encode()) == "政务公开"


def _allocate(n: int) -> int:
    return len(bytearray(n))


def _spin() -> None:
    while True:
        pass


def test_a_child_out_of_memory_ends_in_the_limit_not_a_dead_process(small_limits):
    assert run_bounded(_allocate, 10 * MB, label="x") == 10 * MB
    with pytest.raises(FileRefused, match=r"所需内存超过 256 MB 上限"):
        run_bounded(_allocate, 2048 * MB, label="x")


def test_a_child_out_of_cpu_ends_in_the_limit(small_limits, settings):
    settings.GONGKAI_FILE_LIMITS = small_limits | {"cpu_seconds": 1}
    with pytest.raises(FileRefused, match=r"超过 1 秒的 CPU 时间上限"):
        run_bounded(_spin, label="x")


def test_the_childs_exceptions_come_back_as_they_are():
    with pytest.raises(ZeroDivisionError):
        run_bounded(divmod, 1, 0)


def test_a_repeated_row_ods_ends_in_the_memory_limit_of_the_child(small_limits):
    """calamine expands table:number-rows-repeated in memory; the child's RLIMIT_AS stops it
    (or calamine refuses the sheet): never the worker."""
    with pytest.raises(FileRefused, match=r"所需内存超过 256 MB 上限|超过 1000 行上限"):
        read_sheet_rows(hostile.repeated_rows_ods(), "repeated.ods")
