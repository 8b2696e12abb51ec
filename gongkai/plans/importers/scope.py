"""Whose document is this? The issuing government and level, from the 文号 prefix, the 发文机关
and the title. Pure.

A name in a document means a body of the document's own government: 「市场监管局」 in a
province's document is the provincial bureau, never a city's. So names are resolved against a
tenant only when the document is that tenant's own (or one of its departments'); the preview
shows what was inferred and why, and the officer confirms or corrects it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PROVINCE = "province"
CITY = "city"
COUNTY = "county"
DEPARTMENT = "department"
LEVEL_LABELS = {PROVINCE: "省级", CITY: "市级", COUNTY: "县级", DEPARTMENT: "部门"}

# 文号 prefixes of provincial-level governments (鲁政办发, 京政办发, 粤府办 …).
PROVINCE_ABBREVIATIONS = {
    "京": "北京市",
    "津": "天津市",
    "沪": "上海市",
    "渝": "重庆市",
    "冀": "河北省",
    "晋": "山西省",
    "辽": "辽宁省",
    "吉": "吉林省",
    "黑": "黑龙江省",
    "苏": "江苏省",
    "浙": "浙江省",
    "皖": "安徽省",
    "闽": "福建省",
    "赣": "江西省",
    "鲁": "山东省",
    "豫": "河南省",
    "鄂": "湖北省",
    "湘": "湖南省",
    "粤": "广东省",
    "琼": "海南省",
    "川": "四川省",
    "黔": "贵州省",
    "云": "云南省",
    "滇": "云南省",
    "陕": "陕西省",
    "甘": "甘肃省",
    "青": "青海省",
    "蒙": "内蒙古自治区",
    "桂": "广西壮族自治区",
    "藏": "西藏自治区",
    "宁": "宁夏回族自治区",
    "新": "新疆维吾尔自治区",
}
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_PROVINCE_DOC_NO = re.compile(r"^([\u4e00-\u9fff])(?:政|府|办)")
_LOCALITY = re.compile(
    r"([\u4e00-\u9fff]{2,7}?(?:省|自治区|市|自治州|州|盟|县|自治县|区|旗))"
    r"(?=人民政府|政府|[\u4e00-\u9fff]*?(?:局|委|厅|办|中心|\d{4}年|政务公开|工作))"
)
_INNER_LOCALITY = re.compile(r"([\u4e00-\u9fff]{2,4}?(?:区|县|市|旗))(?=人民政府|政府)")
_YEARS = re.compile(r"(?:19|20)\d{2}\s*年度?")
_WHOLE = re.compile(r"全(省|市|区|县)")
_DEPARTMENT_ISSUER = re.compile(r"(?:局|委员会|委|厅|中心|办公室)$")
_GOVERNMENT_ISSUER = re.compile(r"(?:人民政府|人民政府办公厅|人民政府办公室|政府办公室)$")


@dataclass
class IssuerScope:
    locality: str | None = None  # 山东省, 济宁市, 集美区 …
    level: str | None = None
    same: bool | None = None  # the tenant's own document? None: cannot tell
    evidence: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        level = LEVEL_LABELS.get(self.level or "", "层级未知")
        return f"{self.locality or '所属政府未知'}（{level}）"

    def as_dict(self) -> dict:
        return {
            "locality": self.locality,
            "level": self.level,
            "same": self.same,
            "label": self.label,
            "evidence": list(self.evidence),
        }


def _level_of(locality: str) -> str:
    if locality.endswith(("省", "自治区")) or locality in MUNICIPALITIES:
        return PROVINCE
    if locality.endswith(("县", "区", "旗", "自治县")):
        return COUNTY
    return CITY


def tenant_locality(government_name: str) -> str:
    """济宁市人民政府 → 济宁市."""
    return government_name.removesuffix("人民政府").removesuffix("政府")


def infer(*, title: str | None, doc_no: str | None, issuer: str | None, tenant: str) -> IssuerScope:
    """The document's government and level, and whether it is the tenant's (name `tenant`,
    e.g. 济宁市人民政府)."""
    scope = IssuerScope()
    own = tenant_locality(tenant)
    found: list[tuple[str, str]] = []  # (locality, where)
    for text, where in ((issuer, "发文机关"), (title, "标题")):
        if text:
            m = _LOCALITY.search(_YEARS.sub("", text))
            if m:
                locality = m.group(1)
                rest = _YEARS.sub("", text)[m.end() :]
                inner = _INNER_LOCALITY.match(rest)  # 厦门市集美区人民政府: 集美区
                found.append((inner.group(1) if inner else locality, f"{where}「{text}」"))
    if doc_no:
        m = _PROVINCE_DOC_NO.match(doc_no)
        province = PROVINCE_ABBREVIATIONS.get(m.group(1)) if m else None
        if province and not own.startswith(doc_no[0]):
            found.append((province, f"文号「{doc_no}」的前缀「{doc_no[0]}」"))
        elif own and doc_no.startswith(own[0]):
            found.append((own, f"文号「{doc_no}」的前缀「{doc_no[0]}」"))
    if found:
        scope.locality = found[0][0]
        scope.evidence = [where for locality, where in found if locality == scope.locality]
        scope.level = _level_of(scope.locality)
        if issuer and _DEPARTMENT_ISSUER.search(issuer) and not _GOVERNMENT_ISSUER.search(issuer):
            scope.level = DEPARTMENT
        scope.same = bool(own) and (
            scope.locality == own or own.endswith(scope.locality) or own.startswith(scope.locality)
        )
    elif title and (m := _WHOLE.search(title)):
        word = m.group(1)
        scope.level = {"省": PROVINCE, "市": CITY}.get(word, COUNTY)
        scope.evidence = [f"标题「{title}」中的「全{word}」"]
        scope.same = own.endswith(word) if own else None
    return scope
