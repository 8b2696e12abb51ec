"""Staff pages of participation (mounted at /manage/participation/, namespace
participation_staff)."""

from django.shortcuts import render

from gongkai.orgs.access import staff_required
from gongkai.participation import dashboard


@staff_required
def home(request):
    items = dashboard.dashboard_items(request.user)
    counts: dict[str, int] = {}
    for item in items:
        counts[item.level] = counts.get(item.level, 0) + 1
    return render(
        request,
        "participation/home.html",
        {
            "nav": "participation",
            "items": items,
            "counts": counts,
            "timeliness": dashboard.timeliness(request.user),
        },
    )
