"""Every state change of work plans: check permission → write in a transaction → audit.

Views, the API, the CLI, the periodic job and the demo all call these functions.

Publishing a circular as a record: `publish_circular` hands the circular's .docx to the
catalogue as a draft record (通知公告) of the plan's organisation, through the catalogue's own
actions; the draft then goes through the catalogue's review and publishing workflow.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gongkai.core import audit, workday_dates
from gongkai.core.actions import ActionError, require
from gongkai.orgs.models import Organisation
from gongkai.plans.importers import ParseError, parse_file

from . import importing, rules
from .models import (
    Alignment,
    AlignmentState,
    Assessment,
    Assignment,
    Circular,
    Indicator,
    IndicatorMethod,
    LookBackItem,
    PlanImport,
    PlanKind,
    ProgressReport,
    ReportState,
    Task,
    TaskReminder,
    WorkPlan,
)
from .status import TaskStatus


def _catalog_draft(actor, circular: Circular, docx: bytes) -> int:
    """A draft catalogue record for the circular, with the .docx attached."""
    from django.core.files.base import ContentFile

    from gongkai.catalog import actions as catalog_actions
    from gongkai.catalog.models import Genre

    from .circulars import filename

    plan = circular.plan
    title = f"{plan.title}督查通报第{circular.number}期"
    record = catalog_actions.create_record(
        actor,
        plan.organisation,
        {
            "title": title,
            "genre": Genre.NOTICE,
            "summary": (
                f"{circular.period_start:%Y年%m月%d日}至{circular.period_end:%Y年%m月%d日}"
                "工作任务落实情况督查通报。"
            ),
            "made_on": timezone.localdate(),
        },
        source_ref=f"plans-circular-{circular.pk}",
    )
    catalog_actions.add_attachment(actor, record, filename(circular), ContentFile(docx))
    return record.pk


# A callable (actor, circular, docx_bytes) -> record id: the catalogue draft by default.
CIRCULAR_PUBLISHER = _catalog_draft


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- import ------------------------------------------------------------------------------------


def start_import(
    actor,
    path: str | Path,
    *,
    government: Organisation,
    organisation: Organisation | None = None,
    parent: WorkPlan | None = None,
    name: str | None = None,
    year: int | None = None,
) -> PlanImport:
    """Parse a file into a preview (PlanImport). A file that cannot be read is refused with
    the parser's Chinese message (on the form's file field)."""
    organisation = organisation or government
    require(rules.can_import(actor, government, organisation, parent))
    try:
        parsed = parse_file(path, year=year or (parent.year if parent else None), name=name)
    except ParseError as exc:
        raise ActionError(str(exc), field="file") from exc
    if parsed.year is None:
        raise ActionError("文件标题和文号中都没有年份，请填写年度后重新上传。", field="year")
    imp = PlanImport.objects.create(
        government=government,
        organisation=organisation,
        parent=parent,
        source_name=name or Path(path).name,
        source_sha256=file_sha256(path),
        parsed=importing.rows_for_preview(parsed),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor,
        "plans.import_preview",
        imp,
        organisation_id=organisation.pk,
        after={"source": imp.source_name, "sha256": imp.source_sha256, "rows": len(parsed.rows)},
    )
    return imp


def update_import(actor, imp: PlanImport, *, rows: dict[int, dict], narrowing: dict, meta: dict):
    """Store the officer's fixes: per-row fields, collective narrowing, plan fields."""
    if imp.plan_id is not None:
        raise ActionError("该文件已导入，不能再修改预览。")
    require(rules.can_import(actor, imp.government, imp.organisation, imp.parent))
    parsed = imp.parsed
    year = meta.get("year") or parsed.get("year")
    changed: dict[str, dict] = {}
    for row in parsed["rows"]:
        fix = rows.get(row["n"])
        if not fix:
            continue
        before = dict(row)
        for key in ("requirement", "lead_text", "responsible_text"):
            if key in fix:
                row[key] = fix[key].strip()
        if "due_text" in fix and (fix["due_text"] or "").strip() != (row.get("due_text") or ""):
            importing.apply_due_text(row, fix["due_text"], year)
        if "commitment" in fix:
            row["commitment"] = bool(fix["commitment"])
        diff = {k: v for k, v in row.items() if before.get(k) != v}
        if diff:
            changed[str(row["n"])] = diff
    for key in ("title", "doc_no", "year", "issued_on"):
        if meta.get(key) not in (None, ""):
            parsed[key] = meta[key]
    if "scope_confirmed" in meta:
        parsed["scope_confirmed"] = meta["scope_confirmed"] or None
    if "duplicate_ok" in meta:
        parsed["duplicate_ok"] = bool(meta["duplicate_ok"])
    imp.parsed = parsed
    imp.narrowing = {k: sorted(int(i) for i in v) for k, v in narrowing.items()}
    with transaction.atomic():
        imp.save(update_fields=["parsed", "narrowing"])
        audit.record(
            actor,
            "plans.import_fix",
            imp,
            organisation_id=imp.organisation_id,
            after={"rows": changed, "narrowing": imp.narrowing, "meta": meta},
        )
    return imp


def default_issued_on(year: int, today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today if today.year == year else date(year, 1, 1)


@dataclass
class ImportOutcome:
    plan: WorkPlan
    created: bool


def confirm_import(actor, imp: PlanImport) -> ImportOutcome:
    """Import the previewed rows atomically. The same file for the same organisation again
    changes nothing and returns the plan imported before."""
    require(rules.can_import(actor, imp.government, imp.organisation, imp.parent))
    outcome = import_parsed(
        actor,
        imp.parsed,
        government=imp.government,
        organisation=imp.organisation,
        parent=imp.parent,
        source_name=imp.source_name,
        source_sha256=imp.source_sha256,
        narrowing=imp.narrowing,
    )
    imp.plan = outcome.plan
    imp.save(update_fields=["plan"])
    return outcome


def import_parsed(
    actor,
    parsed: dict,
    *,
    government: Organisation,
    organisation: Organisation,
    source_name: str,
    source_sha256: str,
    parent: WorkPlan | None = None,
    narrowing: dict | None = None,
) -> ImportOutcome:
    """Write a plan, its tasks and assignments in one transaction; refuse with every row's
    problem when anything is unresolved or missing."""
    existing = WorkPlan.objects.filter(
        organisation=organisation, source_sha256=source_sha256
    ).first()
    if existing is not None:
        return ImportOutcome(existing, False)
    preview = importing.build_preview(parsed, government, narrowing)
    if not preview.ok:
        raise ActionError(
            f"导入预览中还有 {len(preview.problems)} 个问题，未写入任何数据。",
            details=preview.problems,
        )
    year = int(parsed["year"])
    issued_on = parsed.get("issued_on")
    issued_on = date.fromisoformat(issued_on) if issued_on else default_issued_on(year)
    with transaction.atomic():
        existing = (
            WorkPlan.objects.select_for_update()
            .filter(organisation=organisation, source_sha256=source_sha256)
            .first()
        )
        if existing is not None:
            return ImportOutcome(existing, False)
        plan = WorkPlan.objects.create(
            government=government,
            organisation=organisation,
            kind=importing.plan_kind(
                parsed, parent.pk if parent else None, organisation, government
            ),
            title=(parsed.get("title") or source_name)[:300],
            year=year,
            doc_no=parsed.get("doc_no") or "",
            issued_on=issued_on,
            parent=parent,
            source_name=source_name,
            source_sha256=source_sha256,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        tasks = []
        prows_open = {prow.n: prow.open_collectives for prow in preview.rows}
        for prow in preview.rows:
            row = prow.data
            due = date.fromisoformat(row["due"]) if row.get("due") else None
            commitment = row.get("commitment")
            if commitment is None:
                commitment = importing.COMMITMENT_MARK in (row.get("subsection") or "")
            still_open = prows_open.get(row["n"], [])
            tasks.append(
                Task(
                    plan=plan,
                    open_collectives=still_open,
                    n=row["n"],
                    section=row.get("section") or "",
                    subsection=row.get("subsection") or "",
                    title=(row.get("title") or "")[:300],
                    milestones=row.get("milestones") or [],
                    requirement=row["requirement"],
                    lead_text=row.get("lead_text") or "",
                    responsible_text=row.get("responsible_text") or "",
                    due_on=due,
                    due_text=(row.get("due_text") or "")[:200],
                    cycle=row.get("cycle") or "",
                    is_public_commitment=commitment,
                    source=row.get("source") or {},
                )
            )
        Task.objects.bulk_create(tasks)
        by_n = {t.n: t for t in Task.objects.filter(plan=plan)}
        leads, responsibles, assignments = [], [], []
        for prow in preview.rows:
            task = by_n[prow.n]
            leads += [Task.lead_orgs.through(task=task, organisation=o) for o in prow.lead]
            responsibles += [
                Task.responsible_orgs.through(task=task, organisation=o) for o in prow.responsible
            ]
            for org in prow.responsible or prow.lead:
                for label, start, period_due in importing.periods(
                    task.cycle or None, year, task.due_on, issued_on
                ):
                    assignments.append(
                        Assignment(
                            task=task,
                            organisation=org,
                            period=label,
                            period_start=start,
                            due_on=period_due,
                            **workday_dates.fields("remind_on", rules.remind_day(period_due)),
                        )
                    )
        Task.lead_orgs.through.objects.bulk_create(leads)
        Task.responsible_orgs.through.objects.bulk_create(responsibles)
        Assignment.objects.bulk_create(assignments)
        audit.record(
            actor,
            "plans.import",
            plan,
            after={
                "title": plan.title,
                "kind": plan.kind,
                "year": plan.year,
                "tasks": len(preview.rows),
                "assignments": len(assignments),
                "source": source_name,
                "sha256": source_sha256,
            },
        )
    return ImportOutcome(plan, True)


# --- ledger: progress reports ------------------------------------------------------------------


def submit_report(
    actor,
    assignment: Assignment,
    *,
    text: str,
    percent: int,
    reported_on: date | None = None,
    links: list[str] | None = None,
    attachment=None,
) -> ProgressReport:
    require(rules.can_report(actor, assignment))
    text = (text or "").strip()
    if not text:
        raise ActionError("请填写落实情况。")
    if not 0 <= int(percent) <= 100:
        raise ActionError("完成进度应在 0 到 100 之间。")
    with transaction.atomic():
        report = ProgressReport(
            assignment=assignment,
            text=text,
            percent=int(percent),
            reported_on=reported_on or timezone.localdate(),
            evidence_links=list(links or []),
            created_by=actor,
        )
        if attachment is not None:
            report.attachment = attachment
        report.save()
        Assignment.objects.filter(pk=assignment.pk).update(
            pending_reports=F("pending_reports") + 1, last_reported_on=report.reported_on
        )
        audit.record(
            actor,
            "plans.report",
            report,
            after={"percent": report.percent, "text": text, "links": report.evidence_links},
        )
    return report


def _review(actor, report: ProgressReport, state: str, note: str) -> ProgressReport:
    require(rules.can_accept(actor, report), "只有牵头部门或公开办可以审核落实情况。")
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if report.state != ReportState.SUBMITTED:
            raise ActionError("该报送已审核过。")
        before = {"state": report.state}
        report.state = state
        report.review_note = note.strip()
        report.reviewed_by = actor
        report.reviewed_at = timezone.now()
        report.save(update_fields=["state", "review_note", "reviewed_by", "reviewed_at"])
        assignment = Assignment.objects.select_for_update().get(pk=report.assignment_id)
        assignment.pending_reports = max(0, assignment.pending_reports - 1)
        fields = ["pending_reports"]
        if state == ReportState.ACCEPTED:
            assignment.progress = report.percent
            assignment.completed_on = report.reported_on if report.percent >= 100 else None
            fields += ["progress", "completed_on"]
        assignment.save(update_fields=fields)
        audit.record(
            actor,
            "plans.accept_report" if state == ReportState.ACCEPTED else "plans.return_report",
            report,
            before=before,
            after={"state": state, "note": report.review_note, "progress": assignment.progress},
        )
    return report


def accept_report(actor, report: ProgressReport, note: str = "") -> ProgressReport:
    return _review(actor, report, ReportState.ACCEPTED, note)


def return_report(actor, report: ProgressReport, note: str) -> ProgressReport:
    if not (note or "").strip():
        raise ActionError("退回时请写明原因。")
    return _review(actor, report, ReportState.RETURNED, note)


# --- public commitments, publication -----------------------------------------------------------


def set_commitment(actor, task: Task, value: bool) -> Task:
    require(rules.can_supervise(actor, task.plan))
    with transaction.atomic():
        before = {"is_public_commitment": task.is_public_commitment}
        task.is_public_commitment = bool(value)
        task.save(update_fields=["is_public_commitment"])
        audit.record(
            actor,
            "plans.commitment",
            task,
            before=before,
            after={"is_public_commitment": task.is_public_commitment},
        )
    return task


def set_plan_public(actor, plan: WorkPlan, value: bool) -> WorkPlan:
    require(rules.can_supervise(actor, plan))
    with transaction.atomic():
        before = {"is_public": plan.is_public}
        plan.is_public = bool(value)
        plan.save(update_fields=["is_public"])
        audit.record(
            actor, "plans.publish", plan, before=before, after={"is_public": plan.is_public}
        )
    return plan


# --- supervision: reminders, circulars ---------------------------------------------------------

REMINDER_STATUSES = (TaskStatus.BEHIND, TaskStatus.OVERDUE)
REMINDER_INTERVAL_DAYS = 7


def send_reminders(today: date | None = None, *, dry_run: bool = False) -> int:
    """One reminder per behind or overdue assignment, at most every REMINDER_INTERVAL_DAYS."""
    from .ledger import ledger_rows

    today = today or timezone.localdate()
    count = 0
    for plan in WorkPlan.objects.filter(year__gte=today.year - 1).select_related("organisation"):
        all_rows = ledger_rows(plan, Assignment.objects.filter(task__plan=plan), today)
        rows = [r for r in all_rows if r.status in REMINDER_STATUSES]
        new = _due_soon_reminders(plan, all_rows, today)
        if not rows and not new:
            continue
        recent = set(
            TaskReminder.objects.filter(
                assignment__task__plan=plan,
                sent_on__gt=today - timedelta(days=REMINDER_INTERVAL_DAYS),
            ).values_list("assignment_id", flat=True)
        )
        for r in rows:
            if r.assignment.pk in recent:
                continue
            label = r.status.label
            new.append(
                TaskReminder(
                    assignment=r.assignment,
                    sent_on=today,
                    status=r.status,
                    message=(
                        f"《{plan.title}》第{r.task.n}项{label}：序时进度"
                        f"{r.expected if r.expected is not None else '—'}%，已确认进度{r.assignment.progress}%"
                        f"，完成时限{r.assignment.due_on or '无'}。请尽快推进并报送落实情况。"
                    )[:500],
                )
            )
        count += len(new)
        if not dry_run and new:
            with transaction.atomic():
                TaskReminder.objects.bulk_create(new, ignore_conflicts=True)
                audit.record(
                    "系统", "plans.remind", plan, after={"reminders": len(new), "on": today}
                )
    return count


DUE_SOON = "due_soon"


def _due_soon_reminders(plan, rows, today: date) -> list[TaskReminder]:
    """One 即将到期 reminder per assignment not done, from its remind_on working day (stored with
    the assignment, recomputed when a year's holidays are loaded) until its due date."""
    candidates = [
        r
        for r in rows
        if r.status not in (*REMINDER_STATUSES, TaskStatus.DONE)
        and r.assignment.remind_on is not None
        and r.assignment.remind_on <= today <= r.assignment.due_on
    ]
    if not candidates:
        return []
    done = set(
        TaskReminder.objects.filter(
            assignment__in=[r.assignment for r in candidates], status=DUE_SOON
        ).values_list("assignment_id", flat=True)
    )
    return [
        TaskReminder(
            assignment=r.assignment,
            sent_on=today,
            status=DUE_SOON,
            message=(
                f"《{plan.title}》第{r.task.n}项即将到期：完成时限{r.assignment.due_on}"
                f"，已确认进度{r.assignment.progress}%。请按时完成并报送落实情况。"
            )[:500],
        )
        for r in candidates
        if r.assignment.pk not in done
    ]


DATE_MOVED = "date_moved"


def remind_date_moved(assignment: Assignment, text: str) -> TaskReminder:
    """Tell the responsible organisation that a loaded holiday notice moved one of its
    assignment's working-day dates earlier (plans.workdays): a reminder on its plans home, added
    to today's reminder when it already has one (one reminder a day per assignment)."""
    text = f"《{assignment.task.plan.title}》第{assignment.task.n}项：{text}。"
    today = timezone.localdate()
    with transaction.atomic():
        reminder, created = TaskReminder.objects.select_for_update().get_or_create(
            assignment=assignment,
            sent_on=today,
            defaults={"status": DATE_MOVED, "message": text[:500]},
        )
        if not created:
            reminder.message = f"{reminder.message} {text}"[:500]
            reminder.seen = False
            reminder.save(update_fields=["message", "seen"])
        audit.record(
            "系统",
            "plans.remind_date_moved",
            reminder,
            organisation_id=assignment.organisation_id,
            after={"message": reminder.message},
        )
    return reminder


def generate_circular(actor, plan: WorkPlan, period_start: date, period_end: date) -> Circular:
    """Freeze the ledger at period_end into 督查通报第N期 (N = next number of this plan)."""
    from .ledger import circular_data

    require(rules.can_supervise(actor, plan))
    if period_end < period_start:
        raise ActionError("通报期的截止日期早于开始日期。")
    data = circular_data(plan, period_start, period_end)
    with transaction.atomic():
        WorkPlan.objects.select_for_update().get(pk=plan.pk)
        last = Circular.objects.filter(plan=plan).order_by("-number").first()
        circular = Circular.objects.create(
            plan=plan,
            number=(last.number + 1) if last else 1,
            period_start=period_start,
            period_end=period_end,
            data=data,
            created_by=actor,
        )
        audit.record(
            actor,
            "plans.circular",
            circular,
            after={"number": circular.number, "totals": data["totals"]},
        )
    return circular


def publish_circular(actor, circular: Circular) -> int | None:
    """Hand the circular to the catalogue as a draft record (see the module docstring)."""
    require(rules.can_supervise(actor, circular.plan))
    if circular.record_id is not None:
        return circular.record_id  # already handed to the catalogue
    from .circulars import render_docx

    with transaction.atomic():
        record_id = CIRCULAR_PUBLISHER(actor, circular, render_docx(circular))
        circular.record_id = record_id
        circular.save(update_fields=["record_id"])
        audit.record(actor, "plans.circular_publish", circular, after={"record_id": record_id})
    return record_id


# --- scoring (考核) ----------------------------------------------------------------------------


def add_indicator(
    actor,
    plan: WorkPlan,
    *,
    name: str,
    weight: Decimal,
    method: str,
    deduction: Decimal = Decimal(0),
    cap: Decimal | None = None,
) -> Indicator:
    require(rules.can_supervise(actor, plan))
    name = (name or "").strip()
    if not name:
        raise ActionError("请填写指标名称。")
    if Decimal(weight) <= 0:
        raise ActionError("分值应大于 0。")
    if method not in IndicatorMethod.values:
        raise ActionError("未知的计分方式。")
    if Indicator.objects.filter(plan=plan, name=name).exists():
        raise ActionError(f"指标「{name}」已存在。")
    with transaction.atomic():
        indicator = Indicator.objects.create(
            plan=plan,
            name=name,
            weight=weight,
            method=method,
            deduction=deduction or 0,
            cap=cap,
            order=Indicator.objects.filter(plan=plan).count(),
        )
        audit.record(actor, "plans.indicator", indicator, after=audit.snapshot(indicator))
    return indicator


def compute_scores(actor, plan: WorkPlan, period: str, today: date | None = None) -> int:
    """Score every organisation of the plan on the automatic indicators for a period
    (YYYY-H1 or YYYY): completion rate × weight, or weight minus deductions (capped)."""
    from .scoring import automatic_scores

    require(rules.can_supervise(actor, plan))
    scores = automatic_scores(plan, period, today or timezone.localdate())
    with transaction.atomic():
        n = 0
        for (indicator_id, org_id), (score, note) in scores.items():
            Assessment.objects.update_or_create(
                indicator_id=indicator_id,
                organisation_id=org_id,
                period=period,
                defaults={"score": score, "note": note, "scored_by": actor},
            )
            n += 1
        audit.record(actor, "plans.score", plan, after={"period": period, "scores": n})
    return n


def set_score(actor, indicator: Indicator, organisation: Organisation, period: str, score, note=""):
    require(rules.can_supervise(actor, indicator.plan))
    try:
        score = Decimal(str(score).strip())
    except ArithmeticError as exc:
        raise ActionError(f"「{indicator.name}」的得分应为数字。", field="score") from exc
    if not score.is_finite() or score < 0 or score > indicator.weight:
        raise ActionError(f"「{indicator.name}」的得分应在 0 到 {indicator.weight} 之间。")
    with transaction.atomic():
        obj, _ = Assessment.objects.update_or_create(
            indicator=indicator,
            organisation=organisation,
            period=period,
            defaults={"score": score, "note": note, "scored_by": actor},
        )
        audit.record(actor, "plans.score_manual", obj, after={"score": score, "note": note})
    return obj


# --- alignment ---------------------------------------------------------------------------------


def run_alignment(actor, plan: WorkPlan, other: WorkPlan) -> int:
    """Suggest matches from each item of `plan` to the tasks of `other`; keep the officer's
    earlier decisions."""
    from .alignment import align

    require(rules.can_supervise(actor, plan))
    items = list(plan.tasks.order_by("n"))
    targets = list(other.tasks.order_by("n"))
    result = align([_task_text(t) for t in items], [_task_text(t) for t in targets])
    with transaction.atomic():
        decided = set(
            Alignment.objects.filter(item__plan=plan, target__plan=other)
            .exclude(state=AlignmentState.SUGGESTED)
            .values_list("item_id", "target_id")
        )
        Alignment.objects.filter(
            item__plan=plan, target__plan=other, state=AlignmentState.SUGGESTED
        ).delete()
        new = []
        for entry in result.items:
            item = items[entry.index]
            for j, score in entry.matches:
                target = targets[j]
                if (item.pk, target.pk) in decided:
                    continue
                new.append(
                    Alignment(
                        item=item, target=target, score=round(score, 3), coverage=entry.coverage
                    )
                )
        Alignment.objects.bulk_create(new)
        audit.record(actor, "plans.align", plan, after={"other": other.pk, "suggested": len(new)})
    return len(new)


def _task_text(task: Task) -> str:
    return f"{task.title or task.subsection}\n{task.requirement}"


def decide_alignment(actor, alignment: Alignment, state: str) -> Alignment:
    require(rules.can_supervise(actor, alignment.item.plan))
    if state not in AlignmentState.values:
        raise ActionError("未知的对照状态。")
    with transaction.atomic():
        before = {"state": alignment.state}
        alignment.state = state
        alignment.decided_by = actor
        alignment.save(update_fields=["state", "decided_by"])
        audit.record(actor, "plans.align_decide", alignment, before=before, after={"state": state})
    return alignment


def add_alignment(actor, item: Task, target: Task) -> Alignment:
    """The officer adds a match the system did not suggest (or changes one)."""
    from gongkai.core.text import similarity

    require(rules.can_supervise(actor, item.plan))
    with transaction.atomic():
        obj, _ = Alignment.objects.update_or_create(
            item=item,
            target=target,
            defaults={
                "score": round(similarity(_task_text(item), _task_text(target)), 3),
                "state": AlignmentState.CONFIRMED,
                "decided_by": actor,
            },
        )
        audit.record(actor, "plans.align_add", obj, after={"item": item.n, "target": target.n})
    return obj


# --- look-back (回头看) ------------------------------------------------------------------------


def open_look_back(actor, plan: WorkPlan, previous: WorkPlan, today: date | None = None) -> int:
    """List last year's unfinished assignments under this year's plan, each to be noted."""
    from .ledger import ledger_rows

    require(rules.can_supervise(actor, plan))
    if previous.government_id != plan.government_id or previous.pk == plan.pk:
        raise ActionError("只能对本级政府的往年计划开展回头看。")
    today = today or timezone.localdate()
    rows = ledger_rows(previous, Assignment.objects.filter(task__plan=previous), today)
    unfinished = [r.assignment for r in rows if r.status != TaskStatus.DONE]
    with transaction.atomic():
        existing = set(
            LookBackItem.objects.filter(plan=plan).values_list("assignment_id", flat=True)
        )
        new = [LookBackItem(plan=plan, assignment=a) for a in unfinished if a.pk not in existing]
        LookBackItem.objects.bulk_create(new)
        audit.record(
            actor, "plans.look_back", plan, after={"previous": previous.pk, "items": len(new)}
        )
    return len(new)


def note_look_back(actor, item: LookBackItem, note: str) -> LookBackItem:
    require(rules.can_note_look_back(actor, item))
    note = (note or "").strip()
    if not note:
        raise ActionError("请填写核查说明。")
    with transaction.atomic():
        before = {"note": item.note}
        item.note = note
        item.noted_by = actor
        item.noted_at = timezone.now()
        item.save(update_fields=["note", "noted_by", "noted_at"])
        audit.record(actor, "plans.look_back_note", item, before=before, after={"note": note})
    return item


# --- implementation plans (实施方案) -----------------------------------------------------------


def addressed_organisations(plan: WorkPlan):
    """Organisations a plan addresses: those holding an assignment or leading a task."""
    ids = set(Assignment.objects.filter(task__plan=plan).values_list("organisation_id", flat=True))
    ids |= set(
        Task.lead_orgs.through.objects.filter(task__plan=plan).values_list(
            "organisation_id", flat=True
        )
    )
    ids.discard(plan.organisation_id)
    return Organisation.objects.filter(pk__in=ids).order_by("order", "id")


IMPLEMENTATION = PlanKind.IMPLEMENTATION


def mark_reminder_seen(actor, reminder: TaskReminder) -> None:
    require(rules.can_report(actor, reminder.assignment))
    with transaction.atomic():
        TaskReminder.objects.filter(pk=reminder.pk).update(seen=True)
        audit.record(
            actor,
            "plans.reminder_seen",
            reminder,
            organisation_id=reminder.assignment.organisation_id,
        )
