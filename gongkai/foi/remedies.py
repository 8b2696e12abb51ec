"""The remedies sentence (救济途径) of each letter, by letter type and outcome (RULES.md §11).

- 不予公开 and the withheld part of a 部分公开: administrative review first (复议前置,
  《中华人民共和国行政复议法》第二十三条第一款第（四）项), then a lawsuit within 15 days of
  receiving the review decision (《中华人民共和国行政诉讼法》第四十五条);
- every other reply, and the fee notice (whether it is challengeable on its own is UNCONFIRMED,
  so it states the general remedies): review within 60 days (行政复议法第二十条) or a lawsuit
  within 6 months (行政诉讼法第四十六条), at the applicant's choice;
- the written notice to a third party that its information will be disclosed in the public
  interest (条例第三十二条) states the third party's remedies (the general ones);
- the 第三方意见征询函 and the 会商函 carry none for the applicant; nor do the procedural notices
  (补正, 延期, 说明理由, 延迟答复), which decide nothing (RULES.md lists remedies only for replies
  and the fee notice);
- a 公共企事业单位 under 条例第五十五条 is not reviewed: the letter names the 主管部门 that takes
  the applicant's 申诉.

The review body comes from gongkai.orgs.review (data per organisation, editable by the office).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gongkai.orgs.review import ReviewBody, review_body_for

from .models import LetterKind, Outcome

if TYPE_CHECKING:
    from datetime import date

    from gongkai.orgs.models import Organisation

NONE = "none"
GENERAL = "general"
REVIEW_FIRST = "review_first"
PARTLY = "partly"

_DOC: dict[str, str] = {
    LetterKind.REPLY: "本答复",
    LetterKind.FEE_NOTICE: "本通知",
    LetterKind.THIRD_PARTY_DECISION: "本告知书",
}

REVIEW_LAW = "《中华人民共和国行政复议法》"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》"


def remedy_kind(letter_kind: str, outcome: str = "") -> str:
    if letter_kind == LetterKind.REPLY:
        if outcome == Outcome.NOT_DISCLOSED:
            return REVIEW_FIRST
        if outcome == Outcome.PARTLY_DISCLOSED:
            return PARTLY
        return GENERAL
    if letter_kind in (LetterKind.FEE_NOTICE, LetterKind.THIRD_PARTY_DECISION):
        return GENERAL
    return NONE


def _general(doc: str, body: ReviewBody, lead: str) -> str:
    return (
        f"{lead}可以自收到{doc}之日起六十日内向{body.printed_name}申请行政复议"
        f"（{REVIEW_LAW}第二十条），或者自收到{doc}之日起六个月内依法向有管辖权的人民法院"
        f"提起行政诉讼（{LITIGATION_LAW}第四十六条）。"
    )


def _review_first(doc: str, body: ReviewBody, lead: str) -> str:
    return (
        f"{lead}根据{REVIEW_LAW}第二十三条第一款第（四）项的规定，应当先自收到{doc}之日起"
        f"六十日内向{body.printed_name}申请行政复议；对行政复议决定不服的，可以自收到"
        f"行政复议决定书之日起十五日内依法向有管辖权的人民法院提起行政诉讼"
        f"（{LITIGATION_LAW}第四十五条）。"
    )


def remedies_text(letter_kind: str, organisation: Organisation, outcome: str = "") -> str:
    """The sentence (with its leading full-width indent) or "" when the letter carries none."""
    kind = remedy_kind(letter_kind, outcome)
    if kind == NONE:
        return ""
    doc = _DOC[letter_kind]
    body = review_body_for(organisation)
    if not body.is_review:
        return (
            f"　　如对{doc}不服，可以向{body.printed_name}申诉"
            "（《中华人民共和国政府信息公开条例》第五十五条）。"
        )
    if kind == GENERAL:
        return "　　" + _general(doc, body, f"如对{doc}不服，")
    if kind == REVIEW_FIRST:
        return "　　" + _review_first(doc, body, f"如对{doc}不服，")
    return (
        "　　"
        + _review_first(doc, body, f"对{doc}中不予公开的部分不服的，")
        + _general(doc, body, f"对{doc}其他内容不服的，")
    )


def remedy_deadlines_note(
    letter_kind: str, organisation: Organisation, outcome: str, received_on: date | None
) -> str:
    """The remedies' last days for the staff page, counted from the applicant's receipt of the
    letter, matching the sentence the letter carries (review first for 不予公开; 申诉 for a
    第55条 institution; nothing for a letter that carries no remedies)."""
    from .clock import remedy_deadlines

    kind = remedy_kind(letter_kind, outcome)
    if kind == NONE or received_on is None:
        return ""
    review_by, litigation_by = remedy_deadlines(received_on)
    if not review_body_for(organisation).is_review:
        return "可向主管部门申诉（条例第五十五条）"
    if kind == REVIEW_FIRST:
        return f"须先申请行政复议，至 {review_by:%Y-%m-%d}（复议前置）"
    general = f"申请行政复议至 {review_by:%Y-%m-%d}；提起行政诉讼至 {litigation_by:%Y-%m-%d}"
    if kind == PARTLY:
        return f"不予公开部分须先申请行政复议，至 {review_by:%Y-%m-%d}；其他内容：{general}"
    return general
