"""The registry of stored dates computed from working days, and their recomputation.

Every app that stores a date computed with `gongkai.core.calendar` (a reply deadline, a
publication window, a reminder day) stores the 暂定 flag next to it, as foi does for its due
dates (`due_on` + `due_provisional`): `<field>` + `<field>_provisional`, written together from
one `WorkdayResult`. It registers the pair here, in its `AppConfig.ready()`, with

- `pending`: the items whose date still matters (open items; closed ones keep their history);
- `compute`: the date as the app computes it today from the item's own inputs (a
  `WorkdayResult`, or None for "no date now"), or a whole `recompute` action of its own;
- `alert`: how the item's responsible officer is told that the date moved *earlier* (the app's
  own reminder mechanism; `mail_officers` for apps whose mechanism is the outbox);
- `url` and `organisation_id`: where the office finds the item, and whose it is.

When a year's State Council notice is loaded (`calendar.load_notice`, from the command line or
the staff calendar page) `recompute_all(year, actor)` runs every entry's recompute once the load
has committed. Each stored date that changes is saved and audited — `calendar.date_recomputed`,
or `calendar.date_moved_earlier` when the new date is earlier (a 调休 Saturday became a working
day). The latter events are the office's list of dates that moved earlier (the staff calendar
page), and the officer is alerted.

Core knows no app: the apps register here (docs/architecture.md, "a lower layer that needs
something of a higher one gets it registered at start-up").
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

    from gongkai.core.actions import Actor
    from gongkai.core.calendar import WorkdayResult

logger = logging.getLogger("gongkai.calendar")

RECOMPUTED = "calendar.date_recomputed"
MOVED_EARLIER = "calendar.date_moved_earlier"


@dataclass(frozen=True)
class Change:
    """One stored date that a recompute changed."""

    entry: WorkdayDate
    obj: models.Model
    before: date | None
    before_provisional: bool
    after: date | None
    after_provisional: bool
    year: int | None  # the year whose loading caused it; None for a full recompute

    @property
    def moved_earlier(self) -> bool:
        return self.before is not None and self.after is not None and self.after < self.before

    @property
    def text(self) -> str:
        def show(d: date | None, p: bool) -> str:
            return f"{d:%Y-%m-%d}" + ("（暂定）" if p else "") if d else "无"

        cause = f"载入{self.year}年节假日安排后" if self.year else "按现行节假日安排重新计算后"
        return (
            f"{cause}，{self.entry.label}由 "
            f"{show(self.before, self.before_provisional)} 调整为 "
            f"{show(self.after, self.after_provisional)}"
            + ("（提前）" if self.moved_earlier else "")
        )


@dataclass(frozen=True)
class WorkdayDate:
    key: str  # "participation.enquiry.due_on": unique, stable (it is stored in audit events)
    label: str  # Chinese: 「政策咨询答复期限」
    model: str  # "participation.Enquiry"
    field: str  # "due_on"
    # The callables take an instance of `model`; entries differ in model, hence Any.
    pending: Callable[[], models.QuerySet[Any]]
    compute: Callable[[Any], WorkdayResult | None] | None = None
    recompute: Callable[[WorkdayDate, int | None, Actor], list[Change]] | None = None
    alert: Callable[[Change, Actor], None] | None = None
    url: Callable[[Any], str] | None = None
    organisation_id: Callable[[Any], int | None] | None = None
    provisional_field: str = ""

    @property
    def flag(self) -> str:
        return self.provisional_field or f"{self.field}_provisional"

    def model_class(self) -> type[models.Model]:
        from django.apps import apps

        return apps.get_model(self.model)

    def stored(self, obj: models.Model) -> tuple[date | None, bool]:
        return getattr(obj, self.field), bool(getattr(obj, self.flag))

    def expected(self, obj: models.Model) -> tuple[date | None, bool]:
        """What `compute` gives now: (date, provisional); (None, False) for no date."""
        if self.compute is None:
            raise TypeError(f"{self.key}: no compute")
        result = self.compute(obj)
        if result is None:
            return None, False
        return result.date, result.provisional


def fields(field: str, result: WorkdayResult | None, flag: str = "") -> dict[str, object]:
    """{field: date, field_provisional: 暂定} from a WorkdayResult (or None: no date), for
    create()/update() and for setting attributes: how every app stores such a date."""
    flag = flag or f"{field}_provisional"
    if result is None:
        return {field: None, flag: False}
    return {field: result.date, flag: result.provisional}


_REGISTRY: dict[str, WorkdayDate] = {}


def register(entry: WorkdayDate) -> WorkdayDate:
    """Register a stored working-day date (idempotent per key: the last registration wins)."""
    if entry.compute is None and entry.recompute is None:
        raise ValueError(f"{entry.key}: give compute or recompute")
    _REGISTRY[entry.key] = entry
    return entry


def entries() -> list[WorkdayDate]:
    return sorted(_REGISTRY.values(), key=lambda e: e.key)


def entry(key: str) -> WorkdayDate:
    return _REGISTRY[key]


def affected(entry: WorkdayDate, year: int | None) -> models.QuerySet[Any]:
    """Pending items a load of `year` may change: provisional ones, and (when a year is loaded
    again) those whose date lies in or next to it. Every pending item when year is None."""
    if year is None:
        return entry.pending()
    near = (date(year - 1, 12, 1), date(year + 1, 1, 31))
    return entry.pending().filter(
        models.Q(**{entry.flag: True}) | models.Q(**{f"{entry.field}__range": near})
    )


def store(
    entry: WorkdayDate,
    obj: models.Model,
    value: tuple[date | None, bool],
    year: int | None,
    actor: Actor,
) -> Change | None:
    """Save a recomputed (date, provisional) on obj if it differs, then `note` it. Returns the
    Change, or None when nothing changed. Call it inside the app's recompute action."""
    before = entry.stored(obj)
    if tuple(value) == before:
        return None
    setattr(obj, entry.field, value[0])
    setattr(obj, entry.flag, value[1])
    with transaction.atomic():
        obj.save(update_fields=[entry.field, entry.flag])
        return note(entry, obj, before, (value[0], value[1]), year, actor)


def note(
    entry: WorkdayDate,
    obj: models.Model,
    before: tuple[date | None, bool],
    after: tuple[date | None, bool],
    year: int | None,
    actor: Actor,
) -> Change | None:
    """Audit a stored date an app's own action has just recomputed, and alert the officer when
    it moved earlier. Returns the Change, or None when nothing changed."""
    from gongkai.core.audit import record

    if tuple(before) == tuple(after):
        return None
    change = Change(entry, obj, before[0], before[1], after[0], after[1], year)
    with transaction.atomic():
        record(
            actor,
            MOVED_EARLIER if change.moved_earlier else RECOMPUTED,
            obj,
            before={"date": before[0], "provisional": before[1]},
            after={
                "date": after[0],
                "provisional": after[1],
                "key": entry.key,
                "label": entry.label,
                "year": year,
                "url": entry.url(obj) if entry.url else "",
            },
            organisation_id=entry.organisation_id(obj) if entry.organisation_id else None,
            note=change.text,
        )
        if change.moved_earlier and entry.alert is not None:
            entry.alert(change, actor)
    return change


def recompute_items(entry: WorkdayDate, year: int | None, actor: Actor = None) -> list[Change]:
    """The standard recompute action: `compute` for every affected pending item, then `store`."""
    changes: list[Change] = []
    for obj in affected(entry, year):
        change = store(entry, obj, entry.expected(obj), year, actor)
        if change is not None:
            changes.append(change)
    return changes


def recompute_all(year: int, actor: Actor = None) -> list[Change]:
    """Run every registered recompute for a loaded year. One failing entry is logged and does
    not stop the others (its dates stay 暂定 and keep showing)."""
    changes: list[Change] = []
    for e in entries():
        try:
            run = e.recompute or recompute_items
            changes += run(e, year, actor)
        except Exception:
            logger.exception("recomputing %s after loading %s failed", e.key, year)
    return changes


def recompute_everything(actor: Actor = None) -> list[Change]:
    """Recompute every pending item of every entry, whatever its year (after an upgrade that
    added a stored date, or to repair): `gongkai calendar recompute-dates`."""
    changes: list[Change] = []
    for e in entries():
        changes += (e.recompute or recompute_items)(e, None, actor)
    return changes


def mismatches(
    entry: WorkdayDate,
) -> Iterable[tuple[models.Model, tuple[date | None, bool], tuple[date | None, bool]]]:
    """Pending items whose stored (date, 暂定) differs from what compute gives now (a check for
    tests and `gongkai calendar check-dates`)."""
    if entry.compute is None:
        return
    for obj in entry.pending():
        stored, expected = entry.stored(obj), entry.expected(obj)
        if stored != expected:
            yield obj, stored, expected


def mail_officers(change: Change, users: Iterable[AbstractUser]) -> None:
    """Alert users by e-mail through the outbox (core.tasks.queue_mail), once per change."""
    from gongkai.core.tasks import queue_mail

    emails = sorted({u.email for u in users if getattr(u, "email", "")})
    if not emails:
        return
    obj = change.obj
    url = change.entry.url(obj) if change.entry.url else ""
    body = f"{change.text}。\n事项：{obj}\n" + (f"链接：{url}\n" if url else "")
    queue_mail(
        f"workday-moved:{change.entry.key}:{obj.pk}:{change.after}",
        f"【期限提前】{change.entry.label}：{str(obj)[:60]}",
        body,
        emails,
    )
