"""Periodic work of the catalogue (run by `gongkai run-periodic`)."""

from __future__ import annotations

import logging

from django.utils import timezone

from gongkai.catalog.querysets import interpretations_due, overdue
from gongkai.core.periodic import periodic_job
from gongkai.orgs.models import Organisation

logger = logging.getLogger("gongkai.catalog")


@periodic_job("catalog.deadlines")
def deadlines(dry_run: bool = False) -> str:
    """Log the records past their 20-working-day window and the interpretations past their
    3-working-day promise (the staff lists show the same)."""
    today = timezone.localdate()
    org_ids = Organisation.objects.values_list("pk", flat=True)
    late = list(overdue(org_ids, today))
    interp = [
        r
        for r in interpretations_due(org_ids)
        if r.interpretation_due_on and r.interpretation_due_on < today
    ]
    if not dry_run:
        for r in late:
            logger.warning(
                "record overdue record=%s org=%s due=%s", r.pk, r.publisher_id, r.publish_due_on
            )
        for r in interp:
            logger.warning(
                "interpretation overdue record=%s org=%s due=%s",
                r.pk,
                r.publisher_id,
                r.interpretation_due_on,
            )
    return f"超期未公开 {len(late)} 条，解读超期 {len(interp)} 条"
