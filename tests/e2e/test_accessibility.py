"""Every public page, at desktop and phone width: axe-core (npm registry, tests/e2e/package.json;
`./run test` installs it) reports no violations, and no page is wider than the viewport.

The pages are found the way a visitor finds them: from the home page, following the site's own
links (a bounded walk: at most PER_PATTERN pages per URL shape, so a list of 50 records costs
two record pages, not fifty)."""

import re
from collections import Counter, deque
from pathlib import Path
from urllib.parse import urldefrag, urlparse

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
PER_PATTERN = 2
MAX_PAGES = 90
SKIP = re.compile(
    r"^/(manage|accounts|api|django-admin|captcha|static|media)/|"
    r"\.(xml|rss|atom|docx|xlsx|pdf|zip|png|jpg|csv)$|/feed/|/files?/|/attachments?/|/download"
)


def _pattern(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _public_pages(page, base: str) -> list[str]:
    seen, found, counts = set(), [], Counter()
    queue = deque(["/"])
    while queue and len(found) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        shape = _pattern(path.split("?")[0]) + ("?" if "?" in path else "")
        if counts[shape] >= PER_PATTERN:
            continue
        response = page.goto(base + path)
        if (
            response is None
            or response.status != 200
            or "text/html" not in (response.headers.get("content-type", ""))
        ):
            continue
        counts[shape] += 1
        found.append(path)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"):
            url = urlparse(urldefrag(href)[0])
            if url.netloc != urlparse(base).netloc or SKIP.search(url.path):
                continue
            link = url.path + (f"?{url.query}" if url.query else "")
            if "page=" in link or link in seen:
                continue
            queue.append(link)
    return found


def _publish_a_report() -> None:
    """The demo drafts annual reports; publish one (placeholders filled) so its public page,
    with the statutory tables, is walked too."""
    from gongkai.accounts.models import User
    from gongkai.reports import actions
    from gongkai.reports.models import AnnualReport

    office = User.objects.get(username="office")
    report = AnnualReport.objects.order_by("pk").first()
    version = report.versions.order_by("-number").first()
    sections = {
        k: re.sub(r"【[^】]*】", "本年度按要求完成。", v) for k, v in version.sections.items()
    }
    actions.save_version(office, report, sections, "")
    actions.check(office, report)
    actions.publish(office, report)


def test_public_pages_pass_axe_and_fit_the_phone(live_server, browser):
    # ./run test installs axe-core; a run without it fails here rather than skipping the check.
    assert AXE.exists(), "axe-core 未安装：cd tests/e2e && npm ci（./run test 会自动安装）"
    from gongkai.demo.loader import load_demo

    load_demo()
    _publish_a_report()
    crawler = browser.new_context(locale="zh-CN")
    pages = _public_pages(crawler.new_page(), live_server.url)
    crawler.close()
    assert len(pages) >= 40, pages  # the walk reached the site's sections
    assert any(re.fullmatch(r"/annual-reports/\d+/", p) for p in pages), pages
    assert "/participation/decisions/" in pages
    script = AXE.read_text(encoding="utf-8")
    problems = []
    for label, (width, height) in WIDTHS.items():
        # bypass_csp: the page CSP (scripts from self only) would refuse the injected axe.
        context = browser.new_context(
            locale="zh-CN", viewport={"width": width, "height": height}, bypass_csp=True
        )
        page = context.new_page()
        for path in pages:
            page.goto(live_server.url + path)
            page.add_script_tag(content=script)
            result = page.evaluate(
                "() => axe.run(document, {resultTypes: ['violations']})"
                ".then(r => r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3)"
                ".map(n => n.target.join(' ')).join(' | ')))"
            )
            problems += [f"{label} {path} {v}" for v in result]
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                problems.append(f"{label} {path} 页面宽度 {wide}px > {width}px")
        context.close()
    assert problems == [], "\n".join(problems)
