"""A province-shaped world for the cluster test and the province benchmarks (`gongkai demo
--province`): a province government, its 16 cities, ~140 counties — each its own portal site —
~10,000 organisations, records spread as in life (a few large cities, many small counties), one
office administrator per government, and an open consultation on the province's site.

Bulk-created (a fixture, not the publishing workflow), then indexed for search. Idempotent:
a second run finds the province and changes nothing. `scale` shrinks every count for CI.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

if TYPE_CHECKING:
    from gongkai.catalog.models import Record

CITIES = [
    "济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁",
    "泰安", "威海", "日照", "临沂", "德州", "聊城", "滨州", "菏泽",
]  # fmt: skip
DEPARTMENTS = [
    "发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局",
    "财政局", "人力资源和社会保障局", "自然资源和规划局", "生态环境局", "住房和城乡建设局",
    "交通运输局", "水利局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会",
    "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局",
    "行政审批服务局", "大数据局", "信访局", "林业局", "粮食和物资储备局", "地方金融监督管理局",
]  # fmt: skip
PROVINCE_SLUG = "sd"
OFFICE_PASSWORD = "province-demo-pw-2026"


def _sizes(scale: float) -> dict:
    return {
        "cities": max(2, round(16 * scale)),
        "counties_per_city": max(2, round(140 / 16 * scale)),
        "organisations": max(60, round(10_000 * scale)),
    }


def build_province(*, scale: float = 1.0, records: int = 100_000, seed: int = 7) -> dict:
    """Create the province (once). Returns a summary of what exists."""
    from gongkai.core.production import refuse_demo

    refuse_demo()
    from django.contrib.auth import get_user_model

    from gongkai.catalog.indexing import reindex
    from gongkai.catalog.models import Record
    from gongkai.orgs.models import Membership, Organisation, OrgKind, Role

    rng = random.Random(seed)  # noqa: S311 (a reproducible fixture)
    province = Organisation.objects.filter(slug=PROVINCE_SLUG).first()
    if province is not None:
        return summary()
    sizes = _sizes(scale)
    User = get_user_model()
    with transaction.atomic():
        govs: list[tuple[Organisation, float]] = []
        province = Organisation.objects.create(
            name="山东省人民政府",
            short_name="省政府",
            kind=OrgKind.GOVERNMENT,
            slug=PROVINCE_SLUG,
            site_hosts="www.sd.gov.test",
            order=0,
        )
        govs.append((province, 6.0))
        for c, city in enumerate(CITIES[: sizes["cities"]], start=1):
            weight = 4.0 if c <= 3 else 1.5  # a few large cities
            slug = f"c{c:02d}"
            gov = Organisation.objects.create(
                name=f"{city}市人民政府",
                short_name=f"{city}市政府",
                kind=OrgKind.GOVERNMENT,
                slug=slug,
                site_hosts=f"www.{slug}.gov.test",
                order=c,
            )
            govs.append((gov, weight))
            for k in range(1, sizes["counties_per_city"] + 1):
                slug = f"c{c:02d}k{k:02d}"
                gov = Organisation.objects.create(
                    name=f"{city}市第{k}区县人民政府",
                    kind=OrgKind.GOVERNMENT,
                    slug=slug,
                    site_hosts=f"www.{slug}.gov.test",
                    order=c * 100 + k,
                )
                govs.append((gov, 0.25))
        per_gov = max(1, (sizes["organisations"] - len(govs)) // len(govs))
        departments = []
        for gov, _weight in govs:
            for d in range(per_gov):
                name = DEPARTMENTS[d % len(DEPARTMENTS)]
                if d >= len(DEPARTMENTS):
                    name = f"{name}第{d // len(DEPARTMENTS) + 1}分局"
                departments.append(
                    Organisation(
                        name=f"{gov.name.removesuffix('人民政府')}{name}",
                        kind=OrgKind.DEPARTMENT,
                        parent=gov,
                        government=gov,
                        order=d,
                    )
                )
        Organisation.objects.bulk_create(departments, batch_size=2000)
        for gov, _weight in govs:
            user = User.objects.create_user(
                f"office-{gov.slug}", f"office-{gov.slug}@example.org", OFFICE_PASSWORD
            )
            Membership.objects.create(user=user, organisation=gov, role=Role.OFFICE_ADMIN)
    publishers: dict[int, list[int]] = {}
    for pk, gov_id in Organisation.objects.filter(kind=OrgKind.DEPARTMENT).values_list(
        "pk", "government_id"
    ):
        publishers.setdefault(gov_id, []).append(pk)
    total_weight = sum(w for _g, w in govs)
    start = dt.datetime(2016, 1, 1, tzinfo=dt.UTC)
    now = timezone.now()
    serial = 0
    for gov, weight in govs:
        n = max(1, round(records * weight / total_weight))
        batch = []
        for _ in range(n):
            serial += 1
            published = start + dt.timedelta(seconds=rng.randrange(330_000_000))
            publisher = rng.choice(publishers[gov.pk])
            batch.append(
                generated_record(
                    rng,
                    government=gov,
                    publisher_id=publisher,
                    published=published,
                    index_no=f"{gov.slug.upper()}/{serial:09d}",
                    title=f"{gov.short_name or gov.name}关于做好第{serial}项政务公开工作的通知",
                    doc_no=f"{gov.slug}发〔{published.year}〕{serial}号",
                    paragraphs=8,
                    created_at=now,
                )
            )
            if len(batch) >= 5000:
                Record.objects.bulk_create(batch)
                batch = []
        Record.objects.bulk_create(batch)
    reindex()
    _open_consultation(province)
    return summary()


def _open_consultation(province) -> None:
    from gongkai.orgs.models import Membership, Organisation
    from gongkai.participation import actions
    from gongkai.participation.models import DocumentKind

    membership = Membership.objects.filter(organisation=province).first()
    if membership is None:
        raise RuntimeError("the demo province has no office member yet")
    office = membership.user
    edu = Organisation.objects.filter(government=province, name__endswith="教育局").first()
    today = timezone.localdate()
    consultation = actions.create_consultation(
        office,
        edu,
        kind=DocumentKind.NORMATIVE,
        title="《山东省校外培训机构监督管理办法》（征求意见稿）",
        summary="为规范校外培训行为，省教育厅起草了本办法，现公开征求意见。",
        draft_text="第一条 为规范校外培训机构办学行为，制定本办法。",
        clauses="第一条",
        opens_on=today,
        closes_on=today + dt.timedelta(days=29),
    )
    actions.publish_consultation(office, consultation)


def summary() -> dict:
    from gongkai.catalog.models import Record
    from gongkai.orgs.models import Organisation

    governments = Organisation.objects.governments().count()
    return {
        "governments": governments,
        "organisations": Organisation.objects.count(),
        "records": Record.objects.count(),
    }


def generated_record(
    rng,
    *,
    published,
    paragraphs: int,
    **fields,
) -> Record:
    """One published record of the generated worlds (province fixture, page benchmarks): a
    random genre and topic, the given identity fields and a body of repeated paragraphs."""
    from gongkai.catalog.models import Genre, Record, Status, Topic

    return Record(
        written_on=published.date(),
        made_on=published.date(),
        published_at=published,
        genre=rng.choice(Genre.values),
        topic=rng.choice(Topic.values),
        status=Status.PUBLISHED,
        summary="各有关单位要认真落实政务公开工作要求。",
        body="<p>" + "各有关单位要认真做好政务公开工作，及时回应社会关切。" * paragraphs + "</p>",
        **fields,
    )
