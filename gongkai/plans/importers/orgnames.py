"""Split a 牵头部门 / 责任单位 cell into single names. Pure.

A cell lists names one per line, or joined by 「，」「；」 or 「、」. Splitting at 「、」 is only
safe between complete names (「市发展改革委、市商务局」). It is not safe inside

* a collective reference: 「市政府有关部门、单位」 (a part too short to be a name),
  「各镇人民政府、街道办事处」 (a leading 各 shared by every part);
* a shared-affix list: 「任城区、兖州区政府」「市、县级政府办公室」 (a part that is a place, not an
  organisation);
* an 「等」 list: 「市教育局、市科技局等市政府有关部门、单位」.

Those stay one item: expanding them into organisations is the resolver's job.
Brackets are respected: nothing splits inside 「各县（市、区）政府」.
"""

from __future__ import annotations

import re

# Last characters of a complete organisation name (局, 委, 办公室, 中心, 政府, 管委会, 公司 …).
# A name ending in a place (区, 县, 市) or a bare noun (部门, 单位) is not complete on its own.
ORG_FINAL_CHARS = frozenset("局委办室厅院会府心部司行处所队站社馆团科股校组庭署台")
COLLECTIVE_NOUNS = ("部门", "单位", "机构", "政府", "管委会")
COLLECTIVE_MARKERS = ("各", "有关", "相关", "所属")

_OPEN = "（(《“‘【〔[「"
_CLOSE = "）)》”’】〕]」"
_TOP_SEPARATORS = "，,；;\t /\u3000"
_TRAILING_BRACKETS = re.compile(r"[（(][^（）()]*[）)]$")
_STRIP = " \u3000\t\r\n。．.:：，,；;、"


def _split_top(text: str, separators: str) -> list[str]:
    """Split at separators outside brackets."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        if depth == 0 and ch in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _is_complete_name(part: str) -> bool:
    core = _TRAILING_BRACKETS.sub("", part).strip()
    if len(core) < 3:
        return False
    if core[-1] in ORG_FINAL_CHARS:
        return True
    # 「各开发区管委会」「市政府有关部门」: a collective reference is a complete item too.
    return any(m in core for m in COLLECTIVE_MARKERS) and core.endswith(COLLECTIVE_NOUNS)


# A name that carries its own level or place: 省X, 市X, 县X, 区X (not 市场…), or a place name
# ending in 省/市/县/区/旗 within its first characters (济宁高新区…, 任城区…).
_OWN_LEVEL = re.compile(r"^(?:[省市县区](?!场)|[\u4e00-\u9fff]{1,10}?(?:[省县区旗]|市(?!场)))")
LEVEL_PREFIXES = "省市县区"
# Government bodies (a company, bank or institute named in a list keeps its own name).
BODY_ENDINGS = ("厅", "局", "委", "办", "署", "委员会", "办公室")


def has_level(name: str) -> bool:
    return bool(_OWN_LEVEL.match(name)) or name.startswith(COLLECTIVE_MARKERS)


def _share_leading_ge(parts: list[str]) -> bool:
    """「各镇人民政府、街道办事处」: a later part without a level of its own shares the 各."""
    return parts[0].startswith("各") and any(
        not p.startswith("各") and not has_level(p) for p in parts[1:]
    )


def restore_prefixes(names: list[str]) -> list[str]:
    """「省发改委、司法厅、市场监管局」: names after one with a one-character level prefix and
    without a level of their own take that prefix (省司法厅, 省市场监管局)."""
    out: list[str] = []
    prefix = ""
    for name in names:
        if name[:1] in LEVEL_PREFIXES and has_level(name) and not name.startswith("市场"):
            prefix = name[0]
        elif (
            prefix
            and not has_level(name)
            and name.endswith(BODY_ENDINGS)
            and not name.endswith("分局")  # a vertical agency's branch: named by its own place
            and "等" not in name
        ):
            name = prefix + name
        out.append(name)
    return out


def _split_enumeration(piece: str) -> list[str]:
    """Split 「A、B、C」 into names, unless the parts share an affix or form a collective."""
    parts = [p.strip(_STRIP) for p in _split_top(piece, "、")]
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return parts
    if "等" in piece:
        return [piece]
    if _share_leading_ge(parts):
        return [piece]
    if not all(_is_complete_name(p) for p in parts):
        return [piece]
    return restore_prefixes(parts)


# --- role phrases -------------------------------------------------------------------------------

LEAD_ROLES = ("牵头",)
# 「X按职责分工负责」 lists who does the work, with no lead among them.
_ROLE_CLAUSE = re.compile(
    r"^(?:此项工作)?(?:由)?(.+?)(按职责分工分别负责|按职责分工负责|分别负责|牵头负责|牵头|"
    r"配合|参与|协助|协办|负责)$"
)


def split_roles(text: str | None) -> tuple[list[str], list[str]] | None:
    """「X牵头，Y、Z配合」「X负责，Y配合」「X、Y按职责分工负责」 → (lead, responsible); None when
    the text has no role words (the column then says which it is).

    「X负责」 is the lead when no one leads; 「…配合」「…参与」 and 「…按职责分工负责」 are
    responsible units."""
    if not text:
        return None
    lead: list[str] = []
    responsible: list[str] = []
    plain: list[str] = []
    found = False
    for clause in _split_top(" ".join(text.splitlines()), "，,；;。"):
        clause = clause.strip(_STRIP)
        m = _ROLE_CLAUSE.match(clause) if clause else None
        if m is None:
            plain += [clause] if clause else []
            continue
        found = True
        role = m.group(2)
        names = split_org_names(m.group(1))
        if role in ("牵头", "牵头负责") or (role == "负责" and not lead):
            lead += [n for n in names if n not in lead]
        else:
            responsible += [n for n in names if n not in responsible]
    if not found:
        return None
    for clause in plain:  # a name list without a role of its own, beside roles: takes part
        responsible += [n for n in split_org_names(clause) if n not in responsible]
    return lead, responsible


def split_org_names(text: str | None) -> list[str]:
    """「市发展改革委\\n市商务局」 -> ['市发展改革委', '市商务局']; collectives stay whole."""
    if not text:
        return []
    names: list[str] = []
    for line in text.splitlines():
        for piece in _split_top(line, _TOP_SEPARATORS):
            piece = piece.strip(_STRIP)
            if not piece:
                continue
            for name in _split_enumeration(piece):
                if name and name not in names:
                    names.append(name)
    return restore_prefixes(names)
