"""Parts of public pages that every page (or every list row) repeats, rendered in Python.

portal_header: every public page repeats the same header: the site's name, the menu (with the current item
marked), and the staff login or workbench link. It depends only on the government's name, the
site's URL prefix, the URLconf, the current menu item and whether the visitor is logged in, so
the rendered header is kept per process under exactly those, and a page renders it by a
dictionary lookup instead of some forty template nodes.

static_url: {% static %} remembered per process (a static file's URL does not change while
the process runs; the storage's lookup is repeated on every page otherwise).

record_rows: the rows of a record list (portal/catalog/_record_table.html), twenty or more
per page, each a handful of escaped values: one string format per row instead of a template
loop of some fifteen nodes per row.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_headers: dict[tuple, SafeString] = {}
MAX_HEADERS = 2000


@register.simple_tag(takes_context=True)
def portal_header(context: template.Context) -> SafeString:
    government = context.get("site_government")
    user = context.get("user")
    logged_in = bool(user is not None and user.is_authenticated)
    nav = context.get("nav") or ""
    key = (
        getattr(government, "name", None),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
        str(nav),
        logged_in,
    )
    html = _headers.get(key)
    if html is None:
        values: dict[str, Any] = {
            "site_government": government,
            "nav": nav,
            "logged_in": logged_in,
            "portal_nav": context.get("portal_nav") or [],
        }
        html = mark_safe(render_to_string("portal/_header.html", values))  # noqa: S308
        if len(_headers) >= MAX_HEADERS:
            _headers.clear()
        _headers[key] = html
    return html


_ROW = (
    '<tr>\n      <td><a href="{url}">{title}</a>{badge}</td>\n      <td>{doc_no}</td>\n'
    '      <td>{publisher}</td>\n      <td><time datetime="{iso}">{day}</time></td>\n    </tr>'
)
_BADGE = ' <span class="badge badge-warn">{}</span>'


@register.simple_tag
def record_rows(rows: list[dict]) -> SafeString:
    """<tr> elements of rows as the catalogue views' _table_rows makes them."""
    out = []
    for row in rows:
        out.append(
            _ROW.format(
                url=escape(row["url"]),
                title=escape(row["title"]),
                badge=_BADGE.format(escape(row["badge"])) if row["badge"] else "",
                doc_no=escape(row["doc_no"]),
                publisher=escape(row["publisher"]),
                iso=escape(row["iso"]),
                day=escape(row["day"]),
            )
        )
    return mark_safe("\n    ".join(out))  # noqa: S308 (every value escaped above)


_static_urls: dict[tuple[str, str], str] = {}


@register.simple_tag
def static_url(path: str) -> str:
    key = (path, str(settings.STATIC_URL))
    url = _static_urls.get(key)
    if url is None:
        url = _static_urls[key] = static(path)
    return url
