"""The published feedback on a consultation (征求意见情况反馈), generated from the comments.

Pure over the comment rows: counts, opinions grouped by topic (or clause) with their handling,
and the reasons for not adopting. Names are masked and numbers inside the text are masked, so
the snapshot can be published as it is.
"""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from gongkai.core.text import book_title
from gongkai.participation.models import Disposition, mask_name
from gongkai.participation.visibility import mask_personal

OTHER_GROUP = "其他意见"


def build_feedback(consultation, comments, summary: str = "") -> dict:
    """comments: the approved comments of the consultation (each with a disposition)."""
    comments = list(comments)
    dispositions = Counter(c.disposition for c in comments)
    channels = Counter(c.get_channel_display() for c in comments)
    groups: dict[str, list[dict]] = {}
    for c in comments:
        key = c.topic.strip() or c.clause.strip() or OTHER_GROUP
        groups.setdefault(key, []).append(
            {
                "author": mask_name(c.author_name),
                "channel": c.get_channel_display(),
                "clause": c.clause,
                "body": mask_personal(c.body, [c.author_name]),
                "disposition": c.disposition,
                "disposition_label": Disposition(c.disposition).label,
                "reason": mask_personal(c.reason, [c.author_name]),
            }
        )
    not_adopted = [
        {"group": key, "body": item["body"], "reason": item["reason"]}
        for key, items in groups.items()
        for item in items
        if item["disposition"] in (Disposition.NOT_ADOPTED, Disposition.PARTLY_ADOPTED)
    ]
    return {
        "title": f"关于{book_title(consultation.title)}征求意见情况的反馈",
        "organisation": consultation.organisation.name,
        "period": f"{consultation.opens_on:%Y年%m月%d日}至{consultation.closes_on:%Y年%m月%d日}",
        "summary": summary,
        "total": len(comments),
        "adopted": dispositions.get(Disposition.ADOPTED, 0),
        "partly_adopted": dispositions.get(Disposition.PARTLY_ADOPTED, 0),
        "not_adopted": dispositions.get(Disposition.NOT_ADOPTED, 0),
        "channels": [{"label": k, "count": v} for k, v in sorted(channels.items())],
        "groups": [{"name": k, "items": v} for k, v in groups.items()],
        "not_adopted_reasons": not_adopted,
        "generated_at": timezone.now().isoformat(),
    }
