"""Public pages of the disclosure catalogue. Every query starts from catalog.visibility."""

from __future__ import annotations

from html import escape
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.http import FileResponse, Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from gongkai.catalog.indexing import as_you_type, facet_counts, search_records
from gongkai.catalog.models import (
    LIBRARY_GENRES,
    Column,
    Genre,
    StandardCatalogue,
    Topic,
    Validity,
)
from gongkai.catalog.visibility import (
    public_attachments,
    public_interpretations,
    public_records,
)
from gongkai.core import text
from gongkai.core.search import limits
from gongkai.orgs.models import Organisation
from gongkai.orgs.sites import site_government
from gongkai.portal.catalog import queries
from gongkai.portal.catalog.queries import PublicList

PER_PAGE = 20
# Browsing lists count exactly up to 2,000 (100 pages) and say "2,000+" beyond: deeper is
# what the filters and the full-text search are for, and a larger exact count costs a long
# index walk on every page view.
COUNT_CAP = 2_000


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class Page:
    """A page of a queryset (or of a compiled PublicList) with a count capped at COUNT_CAP (no
    full count on big tables)."""

    def __init__(self, qs, number, per_page=PER_PAGE):
        self.number = max(1, min(_int(number, 1) or 1, COUNT_CAP // per_page + 1))
        self.per_page = per_page
        offset = (self.number - 1) * per_page
        if isinstance(qs, PublicList):
            self.object_list: list[Any]
            self.object_list, self.total = qs.rows_and_count(offset, per_page, COUNT_CAP + 1)
        else:
            self.object_list = list(qs[offset : offset + per_page])
            self.total = qs.order_by()[: COUNT_CAP + 1].count()
        self.capped = self.total > COUNT_CAP
        self.total = min(self.total, COUNT_CAP)
        self.pages = max(1, -(-self.total // per_page))
        self.has_previous = self.number > 1
        self.has_next = self.number < self.pages

    @property
    def total_label(self):
        return f"{COUNT_CAP:,}+" if self.capped else f"{self.total:,}"


_PK_MARK = 987654321987
_VALIDITY_LABELS = dict(Validity.choices)


# Per process: (script prefix, URLconf) → the record page's URL around its id.
_RECORD_URLS: dict[tuple[str, object], tuple[str, str]] = {}


def _record_url_parts() -> tuple[str, str]:
    key = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    parts = _RECORD_URLS.get(key)
    if parts is None:
        before, after = reverse("portal:record", args=[_PK_MARK]).split(str(_PK_MARK))
        parts = _RECORD_URLS[key] = (before, after)
    return parts


def _table_rows(rows) -> list[dict]:
    """List rows (tuples of queries.ROW_FIELDS) as portal/catalog/_record_table.html shows
    them: the links built around one reversed URL, the dates formatted here, and dicts
    (a template reads a dict's key at its first try, a model's attribute at its second)."""
    if not rows:
        return []
    before, after = _record_url_parts()
    zone = timezone.get_current_timezone()
    out = []
    for pk, title, doc_no, published_at, validity, name, short_name in rows:
        iso = published_at.astimezone(zone).isoformat()
        out.append(
            {
                "url": f"{before}{pk}{after}",
                "title": title,
                "doc_no": doc_no or "—",
                "badge": "" if validity == Validity.IN_FORCE else _VALIDITY_LABELS[validity],
                "publisher": short_name or name,
                "iso": iso,
                "day": iso[:10],
            }
        )
    return out


def _options(choices, current: str) -> str:
    """<option> elements of a filter <select> (after its 全部), the current value selected."""
    parts = []
    for value, label in choices:
        value = str(value)
        selected = " selected" if value == current else ""
        parts.append(f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>')
    return mark_safe("".join(parts))  # noqa: S308 (escaped above)


_TOPICS = Topic.choices
_GENRES = Genre.choices
_LIBRARY_GENRES = [(g.value, g.label) for g in LIBRARY_GENRES]
_VALIDITIES = Validity.choices
# Per process: the browse form's options for (government, site token, library, chosen values).
# The site token changes with every organisation change (the publisher menu), the years are
# those of _years (the same token).
_FORM_OPTIONS: dict[tuple, dict] = {}


def _form_options(request, gov, library: bool = False) -> dict:
    """The browse form's <option> lists (portal/catalog/_browse_form.html); the policy
    library's form offers its genres and the validity."""
    get = request.GET
    chosen = tuple(get.get(name, "") for name in FORM_FIELDS)
    token = getattr(request, "site_token", None)
    key = (gov.pk, token, library, chosen)
    if token is not None and key in _FORM_OPTIONS:
        return _FORM_OPTIONS[key]
    org, genre, topic, year, validity = chosen
    out = {
        "org": _options(queries.PUBLISHER_NAMES(gov=gov.pk), org),
        "genre": _options(_LIBRARY_GENRES if library else _GENRES, genre),
        "topic": _options(_TOPICS, topic),
        "year": _options(((y, y) for y in _years(gov, request)), year),
    }
    if library:
        out["validity"] = _options(_VALIDITIES, validity)
    if token is not None:
        if len(_FORM_OPTIONS) >= 256:  # a crawler trying every combination
            _FORM_OPTIONS.clear()
        _FORM_OPTIONS[key] = out
    return out


def _query_string(request, **changes) -> str:
    """The page's own parameters (`LINK_PARAMS`), changed, for its pager, sort and facet
    links. A parameter no page reads is not carried into the links: the page then does not
    depend on it, and the page cache does not store a copy per value of it (core.pagecache)."""
    params = QueryDict(mutable=True)
    for name in LINK_PARAMS:
        if values := request.GET.getlist(name):
            params.setlist(name, values)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


def _form_values(request) -> dict:
    """The filter form's current values with every field present: a key missing from the
    QueryDict makes each template lookup fall back to dir(), once per <option>."""
    return {name: request.GET.get(name, "") for name in FORM_FIELDS}


FORM_FIELDS = ("org", "genre", "topic", "year", "validity")


def _browse_filters(request, gov):
    """Validated filters from the query string: (kwargs for the queryset, chosen, errors)."""
    errors: list[str] = []
    chosen: dict[str, Any] = {}
    kwargs: dict[str, Any] = {}
    org_id = request.GET.get("org")
    if org_id:
        org = Organisation.objects.filter(pk=_int(org_id, 0), government=gov).first()
        if org is None:
            errors.append("发布机构不存在，已忽略该条件。")
        else:
            kwargs["publisher"] = org
            chosen["org"] = org
    for name, choices, label in (
        ("topic", Topic, "主题分类"),
        ("genre", Genre, "体裁分类"),
        ("validity", Validity, "有效性"),
    ):
        value = request.GET.get(name)
        if value:
            if value in choices.values:
                kwargs[name] = value
                chosen[name] = choices(value).label
            else:
                errors.append(f"{label}“{value}”无效，已忽略该条件。")
    year = request.GET.get("year")
    if year:
        year_int = _int(year)
        if year_int is None or not 1949 <= year_int <= 2100:
            errors.append("年份应为四位数字，已忽略该条件。")
        else:
            kwargs["published_at__year"] = year_int
            chosen["year"] = year_int
    for name, model, label in (
        ("column", Column, "栏目"),
        ("catalogue", StandardCatalogue, "标准目录事项"),
    ):
        value = request.GET.get(name)
        if value:
            obj = model.objects.filter(pk=_int(value, 0), organisation__government=gov).first()
            if obj is None:
                errors.append(f"{label}不存在，已忽略该条件。")
            else:
                kwargs[name] = obj
                chosen[name] = obj
    return kwargs, chosen, errors


def _list_qs(gov, kwargs):
    """List rows (queries.ROW_FIELDS) of the public records matching kwargs, newest first."""
    return (
        public_records(gov)
        .filter(**kwargs)
        .order_by("-published_at", "-id")
        .values_list(*queries.ROW_FIELDS)
    )


# Per process: government id → (site token, years), in front of the shared cache.
_YEARS: dict[int, tuple[str, list[int]]] = {}


def _years(gov, request=None):
    """Years with public records (cached: the distinct scan is costly on large tables; kept
    in this process too while the site map stands, a minute at most)."""
    token = getattr(request, "site_token", None)
    if token is not None:
        found = _YEARS.get(gov.pk)
        if found is not None and found[0] == token:
            return found[1]
    key = f"catalog:years:{gov.pk}"
    years = cache.get(key)
    if years is None:
        years = [d.year for d in public_records(gov).dates("published_at", "year", order="DESC")]
        cache.set(key, years, 600)
    if token is not None:
        _YEARS[gov.pk] = (token, years)
    return years


def _publishers(gov):
    """The government's active organisations in menu order (id, name, short name)."""
    return queries.PUBLISHERS(gov=gov.pk)


def disclosure(request):
    """The government's 政府信息公开 page: organisations, columns, the latest records."""
    gov = site_government(request)
    counts = dict(
        public_records(gov)
        .values_list("publisher")
        .annotate(n=Count("id"))
        .values_list("publisher", "n")
    )
    orgs = [o for o in _publishers(gov)]
    for org in orgs:
        org.public_count = counts.get(org.pk, 0)
    latest = _table_rows(_list_qs(gov, {})[:10])
    columns = Column.objects.filter(organisation=gov, is_active=True, parent__isnull=True)
    return render(
        request,
        "portal/catalog/disclosure.html",
        {
            "nav": "disclosure",
            "orgs": orgs,
            "latest": latest,
            "columns": columns,
            "gov": gov,
        },
    )


def disclosure_org(request, org_id):
    gov = site_government(request)
    org = get_object_or_404(Organisation, pk=org_id, government=gov, is_active=True)
    columns, tree = _structure(org)
    page = Page(_list_qs(gov, {"publisher": org}), request.GET.get("page"))
    page.object_list = _table_rows(page.object_list)
    return render(
        request,
        "portal/catalog/disclosure_org.html",
        {
            "nav": "disclosure",
            "org": org,
            "columns": columns,
            "tree": tree,
            "page": page,
            "qs": _query_string(request, page=None),
        },
    )


def _tree(nodes):
    """Root nodes, each with `kids` (every level). A node whose parent is missing from
    `nodes` (a deactivated column) is left out with its whole branch."""
    by_parent: dict = {}
    for node in nodes:
        by_parent.setdefault(node.parent_id, []).append(node)
    for node in nodes:
        node.kids = by_parent.get(node.pk, [])
    return by_parent.get(None, [])


def _structure(org):
    """(active columns, standard catalogue) of an organisation as trees: two queries."""
    columns = Column.objects.filter(organisation=org, is_active=True).order_by("order", "id")
    entries = StandardCatalogue.objects.filter(organisation=org).order_by("order", "id")
    return _tree(list(columns.only("id", "parent_id", "name"))), _tree(list(entries))


def guide(request, org_id):
    """政府信息公开指南 (条例第12条), generated from the organisation's data."""
    gov = site_government(request)
    org = get_object_or_404(Organisation, pk=org_id, government=gov, is_active=True)
    columns, entries = _structure(org)
    return render(
        request,
        "portal/catalog/guide.html",
        {
            "nav": "disclosure",
            "org": org,
            "contact_org": org.contact_source(),
            "columns": columns,
            "entries": entries,
            "genres": Genre.choices,
            "topics": Topic.choices,
        },
    )


def directory(request, org_id):
    """政府信息公开目录: 索引、名称、内容概述、生成日期 of every public record."""
    gov = site_government(request)
    org = get_object_or_404(Organisation, pk=org_id, government=gov, is_active=True)
    qs = (
        public_records(gov)
        .filter(publisher=org)
        .only("id", "index_no", "title", "summary", "written_on", "published_at", "made_on")
        .order_by("-published_at", "-id")
    )
    page = Page(qs, request.GET.get("page"), per_page=50)
    return render(
        request,
        "portal/catalog/directory.html",
        {
            "nav": "disclosure",
            "org": org,
            "page": page,
        },
    )


def records(request):
    """Browse by catalogue / topic / genre / year / publisher / column."""
    gov = site_government(request)
    kwargs, chosen, errors = _browse_filters(request, gov)
    page = Page(PublicList(gov.pk, kwargs), request.GET.get("page"))
    page.object_list = _table_rows(page.object_list)
    return render(
        request,
        "portal/catalog/records.html",
        {
            "nav": "disclosure",
            "page": page,
            "chosen": chosen,
            "errors": errors,
            "options": _form_options(request, gov),
            "qs": _query_string(request, page=None),
        },
    )


def record(request, pk):
    gov = site_government(request)
    pk = _int(pk)
    now = timezone.now()
    found = queries.RECORD(gov=gov.pk, now=now, pk=pk) if pk is not None else []
    if not found:
        raise Http404("未找到该信息")
    rec = found[0]
    attachments, interpretations = [], []
    if rec.any_attachments:
        attachments = queries.ATTACHMENTS(gov=gov.pk, now=now, pk=rec.pk)
    if rec.any_interpretations:
        interpretations = queries.INTERPRETATIONS(gov=gov.pk, now=now, pk=rec.pk)
    superseded_by = None
    if rec.superseded_by_id:
        superseded_by = next(
            iter(queries.SUPERSEDED_BY(gov=gov.pk, now=now, pk=rec.superseded_by_id)), None
        )
    superseded_ids = []
    if rec.any_amended:
        superseded_ids = [row[0] for row in queries.SUPERSEDED_IDS(pk=rec.pk)]
    supersedes = []
    if superseded_ids:
        supersedes = list(
            public_records(gov, now).filter(pk__in=superseded_ids).only("id", "title", "validity")
        )
    return render(
        request,
        "portal/catalog/record.html",
        {
            "nav": "policies" if rec.genre in LIBRARY_GENRES else "disclosure",
            "rec": rec,
            "attachments": attachments,
            "interpretations": interpretations,
            "superseded_by": superseded_by,
            "supersedes": supersedes,
        },
    )


def attachment(request, pk, att_id):
    gov = site_government(request)
    att = get_object_or_404(public_attachments(gov), pk=att_id, record_id=pk)
    try:
        handle = att.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("附件文件不存在") from None
    return FileResponse(
        handle, as_attachment=True, filename=(att.file.name or "").rsplit("/", 1)[-1]
    )


def policies(request):
    """The policy library: rules, normative and policy documents, filterable by validity."""
    gov = site_government(request)
    kwargs, chosen, errors = _browse_filters(request, gov)
    genre = kwargs.pop("genre", None)
    if genre and genre not in LIBRARY_GENRES:
        errors.append("政策文件库只包含规章、行政规范性文件和政策性文件。")
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = _list_qs(gov, kwargs).filter(
            genre__in=[genre] if genre in LIBRARY_GENRES else LIBRARY_GENRES
        )
        key = text.normalize_doc_no(q)
        page = Page(
            qs.filter(title__icontains=q) | qs.filter(doc_no_key=key), request.GET.get("page")
        )
    else:
        if genre in LIBRARY_GENRES:
            kwargs["genre"] = genre
        page = Page(PublicList(gov.pk, kwargs, library=True), request.GET.get("page"))
    page.object_list = _table_rows(page.object_list)
    return render(
        request,
        "portal/catalog/policies.html",
        {
            "nav": "policies",
            "page": page,
            "chosen": chosen,
            "errors": errors,
            "options": _form_options(request, gov, library=True),
            "qs": _query_string(request, page=None),
            "q": q,
        },
    )


def interpretations(request):
    gov = site_government(request)
    qs = (
        public_interpretations(gov)
        .select_related("policy", "policy__publisher")
        .only(
            "id",
            "title",
            "kind",
            "published_at",
            "policy__id",
            "policy__title",
            "policy__publisher__name",
            "policy__publisher__short_name",
        )
        .order_by("-published_at", "-id")
    )
    page = Page(qs, request.GET.get("page"))
    return render(
        request,
        "portal/catalog/interpretations.html",
        {
            "nav": "interpretations",
            "page": page,
            "qs": _query_string(request, page=None),
        },
    )


def interpretation(request, pk):
    gov = site_government(request)
    interp = get_object_or_404(
        public_interpretations(gov)
        .select_related("policy", "policy__publisher")
        .prefetch_related("questions"),
        pk=pk,
    )
    return render(
        request,
        "portal/catalog/interpretation.html",
        {
            "nav": "interpretations",
            "interp": interp,
        },
    )


def highlight(value: str, query: str, width: int = 0):
    """HTML with the query's parts wrapped in <mark> (escaped)."""
    if width:
        snippet, spans = text.excerpt(value, query, width)
    else:
        snippet, spans = value or "", text.find_spans(value, query)
    pieces, last = [], 0
    for start, end in spans:
        pieces.append((snippet[last:start], snippet[start:end]))
        last = end
    html = format_html_join("", "{}<mark>{}</mark>", pieces)
    return mark_safe(html + format_html("{}", snippet[last:]))  # noqa: S308


# Facet: (name in the index, query-string parameter, label).
SEARCH_FACETS = (
    ("publisher", "org", "发布机构"),
    ("topic", "topic", "主题"),
    ("genre", "genre", "体裁"),
    ("year", "year", "年份"),
    ("validity", "validity", "有效性"),
)
SEARCH_FIELDS = ("q", "title", "doc_no", "year_from", "year_to", "prev", "within")
# Every parameter the catalogue's public pages read: what their links carry (`_query_string`).
LINK_PARAMS = (*FORM_FIELDS, *SEARCH_FIELDS, "sort", "page")


def _search_query(request) -> tuple[str, str, list[str]]:
    """(query, title terms, errors) from the search and advanced forms: 全文 (q), 文号
    (doc_no, read by its parts), and 在结果中检索 (within: the previous query's terms too)."""
    errors: list[str] = []
    q = (request.GET.get("q") or "").strip()
    prev = (request.GET.get("prev") or "").strip()
    if request.GET.get("within") and prev:
        q = f"{prev} {q}".strip()
    doc_no = (request.GET.get("doc_no") or "").strip()
    if doc_no:
        q = f"{q} {doc_no[:60]}".strip()  # read by its parts, whatever the brackets
    title = (request.GET.get("title") or "").strip()[:100]
    return q, title, errors


def _year_range(request, errors) -> list[int] | None:
    """The years of 时间范围 (from … to …), or None."""
    start, end = request.GET.get("year_from") or "", request.GET.get("year_to") or ""
    if not start and not end:
        return None
    first, last = _int(start, 1949), _int(end, 2100)
    if first not in range(1949, 2101) or last not in range(1949, 2101) or first > last:
        errors.append("时间范围应为起止年份（四位数字，起始不晚于截止），已忽略该条件。")
        return None
    return list(range(first, last + 1))


def search(request):
    gov = site_government(request)
    sort = (
        request.GET.get("sort") if request.GET.get("sort") in ("relevance", "date") else "relevance"
    )
    q, title, errors = _search_query(request)
    filters, chosen = {}, {}
    for name, choices, label in (
        ("genre", Genre, "体裁分类"),
        ("topic", Topic, "主题分类"),
        ("validity", Validity, "有效性"),
    ):
        value = request.GET.get(name)
        if value:
            if value in choices.values:
                filters[name] = value
                chosen[name] = value
            else:
                errors.append(f"{label}“{value}”无效，已忽略该条件。")
    org = _int(request.GET.get("org"))
    publishers = list(_publishers(gov))
    if request.GET.get("org"):
        if org and any(o.pk == org for o in publishers):
            filters["publisher"] = org
            chosen["org"] = org
        else:
            errors.append("发布机构不存在，已忽略该条件。")
    year = request.GET.get("year")
    if year:
        if (_int(year) or 0) in range(1949, 2101):
            filters["year"] = int(year)
        else:
            errors.append("年份应为四位数字，已忽略该条件。")
    years = _year_range(request, errors)
    if years and "year" not in filters:
        filters["year"] = years
    page_no = max(1, min(_int(request.GET.get("page"), 1) or 1, 500))
    result, hits, facets = None, [], []
    if q or title:
        result, found = search_records(
            gov, q, filters=filters, sort=sort, page=page_no, per_page=PER_PAGE, title=title
        )
        if result.error:
            errors.append(result.error)
        marks = f"{q} {title}"
        for rec in found:
            rec.title_html = highlight(rec.title, marks)
            body = rec.summary or text.normalize(_plain(rec.body))
            rec.snippet_html = highlight(body, marks, width=150)
            hits.append(rec)
        if not result.error and result.total and not title:
            facets = _facets(request, gov, q, filters, publishers)
    return render(
        request,
        "portal/catalog/search.html",
        {
            "nav": "search",
            "q": q,
            "title": title,
            "result": result,
            "hits": hits,
            "facets": facets,
            "errors": errors,
            "sort": sort,
            "genres": Genre.choices,
            "topics": Topic.choices,
            "validities": Validity.choices,
            "publishers": publishers,
            "get": _form_values(request),
            "adv": {name: request.GET.get(name, "") for name in SEARCH_FIELDS},
            "qs": _query_string(request, page=None),
            "years": _years(gov),
        },
    )


def _facets(request, gov, q, filters, publishers):
    """[(label, [(value label, count label, url, chosen)])] for the result's facets: each value
    narrows the search (or, when chosen, widens it again)."""
    names = {o.pk: o.name for o in publishers}
    labels = {
        "publisher": names,
        "topic": dict(Topic.choices),
        "genre": dict(Genre.choices),
        "validity": dict(Validity.choices),
        "year": {y: str(y) for y in _years(gov)},
    }
    counted = facet_counts(
        gov,
        q,
        filters=filters,
        values={name: list(labels[name]) for name, _, _ in SEARCH_FACETS},
    )
    out = []
    for name, param, label in SEARCH_FACETS:
        current = request.GET.get(param, "")
        entries = []
        for value, count in sorted(counted[name].items(), key=lambda kv: (-kv[1], str(kv[0]))):
            chosen = str(value) == current
            url = _query_string(request, page=None, **{param: None if chosen else str(value)})
            cap = limits.COUNT_CAP
            shown = f"{cap:,}+" if count > cap else f"{count:,}"
            entries.append((labels[name].get(value, str(value)), shown, url, chosen))
        if entries:
            out.append((label, entries))
    return out


def _plain(html):
    from django.utils.html import strip_tags

    return strip_tags(html or "")


def search_suggest(request):
    """Search as you type: titles and document numbers of public records for the text typed
    so far (two characters at least), as JSON for static/js/search.js."""
    gov = site_government(request)
    q = (request.GET.get("q") or "").strip()[:100]
    items = [
        {
            "title": item["title"],
            "doc_no": item["doc_no"],
            "url": reverse("portal:record", args=[item["id"]]),
        }
        for item in as_you_type(gov, q)
    ]
    return JsonResponse({"q": q, "items": items})
