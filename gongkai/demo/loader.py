"""`gongkai demo`: the demo governments built from the sample documents. Idempotent: a second
run finds everything in place and changes nothing."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from gongkai.accounts.models import User
from gongkai.core.production import refuse_demo
from gongkai.orgs.actions import grant_role
from gongkai.orgs.importer import import_organisations
from gongkai.orgs.models import Organisation, Role

DEMO_DIR = Path(__file__).resolve().parent
SAMPLES_DIR = DEMO_DIR / "samples"
DEMO_PASSWORD = "gongkai-demo"

# (username, display name, organisation name, roles, label printed for the operator)
DEMO_USERS = [
    (
        "office",
        "市政务公开办",
        "济宁市人民政府",
        [Role.OFFICE_ADMIN],
        "济宁市政务公开办公室（公开办管理员）",
    ),
    ("fgw", "市发展改革委信息员", "济宁市发展和改革委员会", [Role.OFFICER], "市发展改革委信息员"),
    (
        "fgw_head",
        "市发展改革委负责人",
        "济宁市发展和改革委员会",
        [Role.APPROVER, Role.REVIEWER],
        "市发展改革委负责人（审核、签发）",
    ),
    ("jyj", "市教育局信息员", "济宁市教育局", [Role.OFFICER], "市教育局信息员"),
    ("dsj", "市大数据中心信息员", "济宁市大数据中心", [Role.OFFICER], "市大数据中心信息员"),
    (
        "rencheng",
        "任城区政府办公室信息员",
        "任城区人民政府办公室",
        [Role.OFFICER],
        "任城区政府办公室信息员",
    ),
    ("evaluator", "第三方评估人", "济宁市人民政府", [Role.EVALUATOR], "第三方评估（只读）"),
    (
        "tz_office",
        "滕州市政务公开办",
        "滕州市人民政府",
        [Role.OFFICE_ADMIN],
        "滕州市政务公开办公室（公开办管理员）",
    ),
]


def _org(name: str) -> Organisation | None:
    org = Organisation.objects.filter(name=name).first()
    if org is None:
        org = Organisation.objects.filter(aliases__alias=name).first()
    return org


@transaction.atomic
def load_demo() -> dict:
    refuse_demo()
    created = False
    result = import_organisations(DEMO_DIR / "orgs.yaml", actor="demo")
    created |= bool(result.created or result.updated)
    logins = []
    for username, display, org_name, roles, label in DEMO_USERS:
        org = _org(org_name)
        if org is None:
            raise RuntimeError(f"演示数据缺少机构：{org_name}")
        user, user_created = User.objects.get_or_create(
            username=username, defaults={"display_name": display}
        )
        if user_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created = True
        for role in roles:
            _, m_created = grant_role("demo", user, org, role)
            created |= m_created
        logins.append((username, label))
    created |= _load_areas()
    return {"created": created, "logins": logins}


# Demo content of each area, loaded in this order once organisations and users exist.
AREA_LOADERS = ["catalog", "participation", "plans", "foi", "reports"]


def _load_areas() -> bool:
    import importlib

    created = False
    for area in AREA_LOADERS:
        created |= bool(importlib.import_module(f"gongkai.demo.{area}").load())
    return created
