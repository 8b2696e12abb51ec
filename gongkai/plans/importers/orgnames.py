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
    parts, depth, current = [], 0, []
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


def _split_enumeration(piece: str) -> list[str]:
    """Split 「A、B、C」 into names, unless the parts share an affix or form a collective."""
    parts = [p.strip(_STRIP) for p in _split_top(piece, "、")]
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return parts
    if "等" in piece:
        return [piece]
    if parts[0].startswith("各") and not all(p.startswith("各") for p in parts):
        return [piece]
    if not all(_is_complete_name(p) for p in parts):
        return [piece]
    return parts


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
    return names
