"""Periodic work of the reports app (run by `gongkai run-periodic`):

- `reports.reminders`: from 1 January to 31 March, remind organisations whose report for last
  year is not yet published: 10 days before their deadline (31 Jan / 31 Mar) and once overdue.
- `reports.links`: the broken-link check of the self-check. Bounded (at most LINK_LIMIT links a
  run), polite (one request at a time, LINK_DELAY seconds apart, a short timeout, HEAD before
  GET, its own User-Agent) and only to the site's own addresses: relative links and links to a
  host listed in the government's `site_hosts`. Other sites are never requested.
"""

from __future__ import annotations

import logging
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from html import unescape
from urllib.parse import urljoin, urlsplit

from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.periodic import periodic_job
from gongkai.reports import layout

logger = logging.getLogger("gongkai.reports")

REMIND_DAYS_BEFORE = 10
LINK_LIMIT = 200
LINK_DELAY = 0.5  # seconds between two requests
LINK_TIMEOUT = 10
USER_AGENT = "gongkai-linkcheck/1 (政务公开自查; site's own links only)"
_HREF = re.compile(r"""(?:href|src)\s*=\s*["']([^"'#][^"']*)["']""", re.IGNORECASE)


# --- Reminders ----------------------------------------------------------------------------------


@periodic_job("reports.reminders")
def reminders(dry_run: bool = False, today=None) -> str:
    from gongkai.orgs.models import Organisation
    from gongkai.reports.models import AnnualReport, ReportReminder, ReportStatus

    today = today or timezone.localdate()
    year = today.year - 1
    if today.month > 3:
        return "不在年度报告公布期内（1月1日至3月31日），未提醒"
    orgs = list(
        Organisation.objects.filter(is_active=True).only(
            "id", "name", "kind", "parent_id", "government_id"
        )
    )
    published = set(
        AnnualReport.objects.filter(year=year, status=ReportStatus.PUBLISHED).values_list(
            "organisation_id", "scope"
        )
    )
    sent = set(ReportReminder.objects.filter(year=year).values_list("organisation_id", "kind"))
    new = []
    for org in orgs:
        scope = "summary" if org.is_tenant else "own"
        if (org.pk, scope) in published:
            continue
        due = layout.deadline(org.kind, year, scope)
        if today > due:
            kind, text = (
                "overdue",
                f"{org.name}{year}年度报告应于{due:%Y年%m月%d日}前公布，已逾期。",
            )
        elif (due - today).days <= REMIND_DAYS_BEFORE:
            kind, text = (
                "due_soon",
                (
                    f"{org.name}{year}年度报告应于{due:%Y年%m月%d日}前公布，还有{(due - today).days}天。"
                ),
            )
        else:
            continue
        if (org.pk, kind) not in sent:
            new.append(
                ReportReminder(organisation=org, year=year, kind=kind, sent_on=today, text=text)
            )
    if not dry_run and new:
        with transaction.atomic():
            ReportReminder.objects.bulk_create(new, ignore_conflicts=True)
            for reminder in new:
                logger.warning(
                    "annual report reminder org=%s year=%s kind=%s",
                    reminder.organisation_id,
                    year,
                    reminder.kind,
                )
            audit.record("系统", "reports.reminders", None, after={"year": year, "count": len(new)})
    return f"{year}年度报告提醒 {len(new)} 条" + ("（试运行）" if dry_run else "")


# --- Broken links -------------------------------------------------------------------------------


def own_hosts(government) -> set[str]:
    return {h.strip().lower() for h in (government.site_hosts or "").split(",") if h.strip()}


def links_in(html: str, base: str, hosts: set[str]) -> list[str]:
    """The site's own absolute URLs linked from html; other hosts and non-web schemes dropped."""
    found = []
    for raw in _HREF.findall(html or ""):
        url = urljoin(base, unescape(raw.strip()))
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and (parts.hostname or "").lower() in hosts:
            found.append(url.split("#", 1)[0])
    return list(dict.fromkeys(found))


def fetch_status(url: str) -> str | None:
    """None when the link works; else a short Chinese description of the failure."""
    for method in ("HEAD", "GET"):
        # Only http(s) URLs of the site's own hosts reach here (links_in filters them).
        request = urllib.request.Request(  # noqa: S310
            url, method=method, headers={"User-Agent": USER_AGENT}
        )
        try:
            with urllib.request.urlopen(request, timeout=LINK_TIMEOUT) as response:  # noqa: S310
                if response.status < 400:
                    return None
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 405, 501):
                continue  # some servers refuse HEAD: try GET once
            return f"HTTP {exc.code}"
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            return f"无法连接（{getattr(exc, 'reason', exc)}）"
    return "无法访问"


@periodic_job("reports.links")
def check_links(
    dry_run: bool = False,
    *,
    fetch: Callable[[str], str | None] = fetch_status,
    limit: int = LINK_LIMIT,
    delay: float = LINK_DELAY,
) -> str:
    from gongkai.catalog.visibility import public_records
    from gongkai.orgs.models import Organisation
    from gongkai.reports.models import LinkProblem

    checked, broken = 0, 0
    now = timezone.now()
    for government in Organisation.objects.governments():
        hosts = own_hosts(government)
        if not hosts:
            continue
        base = f"https://{sorted(hosts)[0]}/"
        records = (
            public_records(government)
            .only("id", "title", "body", "publisher_id")
            .order_by("-published_at", "id")
        )
        for record in records.iterator(chunk_size=200):
            for url in links_in(record.body, base, hosts):
                if checked >= limit:
                    return _links_summary(checked, broken, dry_run, capped=True)
                if checked and delay:
                    time.sleep(delay)
                checked += 1
                problem = fetch(url)
                if dry_run:
                    broken += problem is not None
                    continue
                if problem is None:
                    LinkProblem.objects.filter(record_id=record.pk, url=url).delete()
                else:
                    broken += 1
                    LinkProblem.objects.update_or_create(
                        record_id=record.pk,
                        url=url[:1000],
                        defaults={
                            "organisation_id": record.publisher_id,
                            "record_title": record.title[:300],
                            "status": problem[:100],
                            "checked_at": now,
                        },
                    )
    return _links_summary(checked, broken, dry_run)


def _links_summary(checked: int, broken: int, dry_run: bool, capped: bool = False) -> str:
    text = f"检查本站链接 {checked} 个，失效 {broken} 个"
    if capped:
        text += "（已达单次上限，余下的下次检查）"
    return text + ("（试运行）" if dry_run else "")
