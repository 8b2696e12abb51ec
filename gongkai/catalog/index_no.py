"""索引号 generation. Default scheme `机构代码/年份-5位流水号` (e.g. 11370800004345678X/2021-00018);
the year is the document's own (`year_of`).

The scheme is pluggable: set GONGKAI_INDEX_NO_SCHEME to the dotted path of a function
`scheme(record, serial_for) -> str`, where `serial_for(prefix, year)` hands out the next serial
for that prefix and year (race-safe). An index number never changes once given.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from gongkai.catalog.models import IndexCounter, Record
from gongkai.core.text import doc_no_year


def serial_for(prefix: str, year: int) -> int:
    """The next serial for (prefix, year); call inside a transaction."""
    counter, _ = IndexCounter.objects.get_or_create(prefix=prefix, year=year)
    counter = IndexCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def org_prefix(org) -> str:
    return org.org_code or org.credit_code or f"ORG{org.pk:06d}"


def year_of(record: Record) -> int:
    """The document's own year: 成文日期, else the year of its 文号, else its 信息形成日期
    (today for a record made without one)."""
    if record.written_on:
        return record.written_on.year
    return doc_no_year(record.doc_no) or (record.made_on or timezone.localdate()).year


def default_scheme(record: Record, serial_for=serial_for) -> str:
    prefix = org_prefix(record.publisher)
    year = year_of(record)
    return f"{prefix}/{year}-{serial_for(prefix, year):05d}"


def generate(record: Record) -> str:
    path = getattr(settings, "GONGKAI_INDEX_NO_SCHEME", "")
    scheme = import_string(path) if path else default_scheme
    return scheme(record, serial_for)
