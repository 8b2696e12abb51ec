"""Public API for the organisation tree (机构设置 is proactive information) and the resolver."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from gongkai.orgs.models import Organisation
from gongkai.orgs.sites import government_or_404

router = Router(tags=["机构"])


class OrgOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent_id: int | None
    order: int


class OrgNode(OrgOut):
    children: list[OrgNode]


class ErrorOut(Schema):
    detail: str


def _out(org: Organisation) -> dict[str, Any]:
    return {
        "id": org.pk,
        "name": org.name,
        "short_name": org.short_name,
        "kind": org.kind,
        "kind_label": org.get_kind_display(),
        "parent_id": org.parent_id,
        "order": org.order,
    }


@router.get("/", response={200: list[OrgNode], 404: ErrorOut}, summary="机构树")
def organisation_tree(request: HttpRequest, gov: str | None = None) -> list[dict[str, Any]]:
    """The active organisations of one government (slug or name; default site if omitted),
    as a tree rooted at the government."""
    government = government_or_404(gov)
    orgs = list(Organisation.objects.in_government(government).active().order_by("order", "id"))
    nodes: dict[int | None, dict[str, Any]] = {
        org.pk: {**_out(org), "children": []} for org in orgs
    }
    roots: list[dict[str, Any]] = []
    for org in orgs:
        parent = nodes.get(org.parent_id)
        (parent["children"] if parent else roots).append(nodes[org.pk])
    return roots


@router.get("/{int:org_id}", response={200: OrgOut, 404: ErrorOut}, summary="机构详情")
def organisation_detail(request: HttpRequest, org_id: int) -> dict[str, Any]:
    org = Organisation.objects.active().filter(pk=org_id).first()
    if org is None:
        raise Http404("机构不存在")
    return _out(org)


class ResolvedOrg(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    text: str
    method: str
    matched: str
    score: float | None = None


class ResolvedCollective(Schema):
    text: str
    rule: str
    selective: bool
    members: list[int]
    member_names: list[str]


class ResolutionOut(Schema):
    organisations: list[ResolvedOrg]
    collectives: list[ResolvedCollective]
    unresolved: list[str]


@router.get("/resolve", response={200: ResolutionOut, 404: ErrorOut}, summary="机构名称解析")
def resolve_names(request: HttpRequest, text: str, gov: str | None = None) -> dict[str, Any]:
    """Turn a phrase from a document (简称, full names, shared-affix lists, collective references
    such as 「市政府各部门、单位」) into organisations of one government, listing what it could not
    resolve."""
    from gongkai.orgs.resolver import resolve

    return resolve(text[:2000], government_or_404(gov)).as_dict()
