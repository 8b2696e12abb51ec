"""The portal's and the staff area's navigation. Items whose page does not exist yet (an app
not installed) are left out, so the menus only ever link to real pages."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from gongkai.orgs import rules

# (key, label, url name) in menu order.
PORTAL_ITEMS = [
    ("disclosure", "政府信息公开", "portal:disclosure"),
    ("policies", "政策文件", "portal:policies"),
    ("interpretations", "政策解读", "portal:interpretations"),
    ("foi", "依申请公开", "portal:foi_apply"),
    ("participation", "政民互动", "portal:participation"),
    ("plans", "重点工作", "portal:plans"),
    ("reports", "年度报告", "portal:annual_reports"),
    ("search", "全文检索", "portal:search"),
    ("orgs", "机构设置", "portal:organisations"),
]

# (key, label, url name, predicate(user) -> bool) in menu order.
STAFF_ITEMS = [
    ("home", "工作台首页", "staff:home", rules.is_staff_user),
    ("records", "信息发布", "catalog_staff:records", rules.is_staff_user),
    ("foi", "依申请公开", "foi_staff:list", rules.is_staff_user),
    ("participation", "政民互动", "participation_staff:home", rules.is_staff_user),
    ("plans", "工作台账", "plans_staff:list", rules.is_staff_user),
    ("reports", "年度报告", "reports_staff:home", rules.is_staff_user),
    ("orgs", "机构与人员", "staff:organisations", lambda u: bool(rules.office_governments(u))),
    ("calendar", "工作日历", "staff:calendar", rules.is_staff_user),
    ("audit", "操作日志", "staff:audit", lambda u: bool(rules.office_governments(u))),
]


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


# Per process: (script prefix, URLconf) → the portal menu (the same for every request of a site).
_portal_navs: dict[tuple[str, object], list[dict]] = {}


def portal_nav() -> list[dict]:
    key = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    items = _portal_navs.get(key)
    if items is None:
        items = []
        for item_key, label, name in PORTAL_ITEMS:
            url = _url(name)
            if url:
                items.append({"key": item_key, "label": label, "url": url})
        if len(_portal_navs) > 1000:  # one entry per site: bounded all the same
            _portal_navs.clear()
        _portal_navs[key] = items
    return items


def staff_nav(user) -> list[dict]:
    items = []
    for key, label, name, allowed in STAFF_ITEMS:
        if not allowed(user):
            continue
        url = _url(name)
        if url:
            items.append({"key": key, "label": label, "url": url})
    return items


def context(request):
    user = getattr(request, "user", None)
    cookies = request.COOKIES
    ctx = {
        "portal_nav": portal_nav(),
        # The reader's 大字号 / 高对比度 choices (static/js/a11y.js sets the cookies).
        "a11y_font": cookies.get("gk_font") or "normal",
        "a11y_contrast": cookies.get("gk_contrast") or "normal",
    }
    if user is not None and user.is_authenticated:
        ctx["staff_nav"] = staff_nav(user)
    return ctx
