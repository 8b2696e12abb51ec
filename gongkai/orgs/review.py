"""Who hears a challenge to an organisation's acts: its 行政复议机关, or for a public
institution under 条例第55条 the 主管部门 that takes an applicant's 申诉 (RULES.md §11).

Derived from the organisation's kind and parent (《中华人民共和国行政复议法》 2023 revision, in
force 2024-01-01, 第二十四条、第二十七条); `Organisation.review_body` (in the tree) or
`review_body_name` (outside it), set by the office through orgs.actions.set_review_body, take
precedence. When neither the data nor the tree says, the body is unknown: letters print a
placeholder that the foi letter checks refuse to sign.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import GOVERNMENT_KINDS, Organisation, OrgKind

REVIEW = "review"  # 行政复议 (then 行政诉讼)
COMPLAINT = "complaint"  # 申诉 to the 主管部门 (条例第55条); no 行政复议

MISSING_PLACEHOLDER = "（请写明行政复议机关）"
MISSING_SUPERVISOR_PLACEHOLDER = "（请写明主管部门）"


@dataclass(frozen=True)
class ReviewBody:
    mode: str  # REVIEW or COMPLAINT
    name: str  # "" when unknown
    organisation_id: int | None
    source: str  # "override" | "derived" | "missing"
    basis: str  # why, in Chinese, for the organisation page

    @property
    def known(self) -> bool:
        return bool(self.name)

    @property
    def is_review(self) -> bool:
        return self.mode == REVIEW

    @property
    def printed_name(self) -> str:
        """The name to print in a letter: the placeholder when unknown."""
        if self.name:
            return self.name
        return MISSING_PLACEHOLDER if self.is_review else MISSING_SUPERVISOR_PLACEHOLDER


def _nearest_government(org: Organisation) -> Organisation | None:
    for node in org.ancestors():
        if node.kind in GOVERNMENT_KINDS:
            return node
    return None


_ART_24_1 = (
    "行政复议法第二十四条第一款第（一）项：县级以上地方人民政府工作部门的行为由本级人民政府管辖"
)
_ART_24_2 = "行政复议法第二十四条第一款第（二）项：下一级人民政府的行为由上一级人民政府管辖"
_ART_24_3 = "行政复议法第二十四条第一款第（三）项：人民政府派出机关的行为由该人民政府管辖"
_ART_24_4 = (
    "行政复议法第二十四条第一款第（四）项：政府或其工作部门管理的法律、法规、规章授权的组织"
    "的行为由该人民政府管辖"
)
_ART_27 = (
    "行政复议法第二十七条：实行垂直领导的行政机关、税务和国家安全机关的行为由上一级主管部门管辖"
)
_ART_55 = "条例第五十五条：公共企事业单位不适用行政复议，申请人可以向有关主管部门或者机构申诉"

# Kinds heard by their government, with the provision that says so.
_HEARD_BY_GOVERNMENT: dict[str, str] = {
    OrgKind.DEPARTMENT: _ART_24_1,
    OrgKind.COORDINATING_BODY: _ART_24_1,
    OrgKind.PARTY_ORGAN: _ART_24_1,
    OrgKind.ZONE_COMMITTEE: _ART_24_3,
    OrgKind.PUBLIC_SERVICE_UNIT: _ART_24_4,
    OrgKind.TOWNSHIP: _ART_24_2 + "（街道办事处为县级人民政府的派出机关，第（三）项）",
    OrgKind.COUNTY_GOVERNMENT: _ART_24_2,
    OrgKind.GOVERNMENT: _ART_24_2,
}


def derived_review_body(org: Organisation) -> ReviewBody:
    """The body the law gives for this kind and place in the tree (ignoring the override)."""
    if org.kind == OrgKind.PUBLIC_INSTITUTION:
        parent = org.parent
        if parent is not None:
            return ReviewBody(COMPLAINT, parent.name, parent.pk, "derived", _ART_55)
        return ReviewBody(COMPLAINT, "", None, "missing", _ART_55 + "；请填写其主管部门")
    if org.kind == OrgKind.VERTICAL_AGENCY:
        parent = org.parent
        if parent is not None and parent.kind == OrgKind.VERTICAL_AGENCY:
            return ReviewBody(REVIEW, parent.name, parent.pk, "derived", _ART_27)
        return ReviewBody(
            REVIEW, "", None, "missing", _ART_27 + "；上一级主管部门不在本平台，请填写其全称"
        )
    basis = _HEARD_BY_GOVERNMENT.get(org.kind, _ART_24_1)
    government = _nearest_government(org)
    if government is not None:
        return ReviewBody(REVIEW, government.name, government.pk, "derived", basis)
    return ReviewBody(
        REVIEW, "", None, "missing", basis + "；上一级人民政府不在本平台，请填写其全称"
    )


def review_body_for(org: Organisation) -> ReviewBody:
    """The organisation's review body (or, for a 第55条 institution, its 主管部门): the office's
    setting when there is one, else derived from kind and parent."""
    derived = derived_review_body(org)
    basis = "由政务公开办公室设置（" + derived.basis + "）"
    if org.review_body_id:
        body = org.review_body
        if body is not None:
            return ReviewBody(derived.mode, body.name, body.pk, "override", basis)
    if org.review_body_name.strip():
        return ReviewBody(derived.mode, org.review_body_name.strip(), None, "override", basis)
    return derived
