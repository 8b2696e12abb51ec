"""Public pages of 依申请公开: the application form (captcha with its accessible alternative,
rate limit, idempotency key, tracking code) and the requester's view (tracking code + phone or
e-mail check: status, due date, notices, reply letters, correction upload).

The requester's view shows a request only to a browser session that passed the check; anything
else is the same 404.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core import pending_uploads
from gongkai.core.public_forms import captcha_mode, limit_reached, rate_limited
from gongkai.foi import actions
from gongkai.foi.access import open_tracking, tracked_request
from gongkai.foi.forms import ApplyForm, CorrectionUploadForm, TrackForm
from gongkai.foi.models import InfoRequest, LetterKind, State
from gongkai.foi.views import letter_response
from gongkai.orgs.models import Organisation
from gongkai.orgs.sites import site_government

CLOSED_WITH_REPLY = (State.REPLIED, State.DELIVERED, State.ARCHIVED)

APPLY_LIMIT = (20, 3600)  # submissions per address per hour
TRACK_LIMIT = (30, 3600)  # failed checks per address per hour


ID_PROOF = "foi_id_proof"  # core.pending_uploads scope of the application's ID proof


def apply(request):
    government = site_government(request)
    mode = captcha_mode(request)
    if request.method == "POST":
        form = ApplyForm(
            request.POST,
            request.FILES,
            government=government,
            captcha_mode=mode,
            request=request,
            kept_id_proof=pending_uploads.kept_name(request, ID_PROOF),
        )
        if rate_limited(request, "foi_apply", *APPLY_LIMIT):
            form.is_valid()
            form.add_error(
                None, "提交过于频繁，请一小时后再试，或拨打政府信息公开工作机构电话咨询。"
            )
            return render(
                request, "portal/foi/apply.html", _apply_context(request, form), status=429
            )
        key = request.POST.get("idempotency_key", "")
        if key and InfoRequest.objects.filter(idempotency_key=key).exists():
            return _already_received(request)
        if form.is_valid():
            id_proof = form.cleaned_data["id_proof"] or pending_uploads.take(request, ID_PROOF)
            try:
                req, created = actions.submit_online(
                    government,
                    form.cleaned_data["organisation"],
                    form.requester_data(),
                    form.request_data(),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    id_proof=id_proof,
                )
            except actions.ActionError as exc:
                form.add_error(None, str(exc))
            else:
                pending_uploads.discard(request, ID_PROOF)
                return _submitted(request, req) if created else _already_received(request)
        upload = form.cleaned_data.get("id_proof") if "id_proof" not in form.errors else None
        if upload:  # a valid file in a refused form: keep it for the next try
            form.keep_id_proof(pending_uploads.keep(request, ID_PROOF, upload))
        return render(request, "portal/foi/apply.html", _apply_context(request, form), status=400)
    form = ApplyForm(
        initial={"idempotency_key": uuid.uuid4().hex},
        government=government,
        captcha_mode=mode,
        request=request,
        kept_id_proof=pending_uploads.kept_name(request, ID_PROOF),
    )
    return render(request, "portal/foi/apply.html", _apply_context(request, form))


def _apply_context(request, form) -> dict:
    """The form, and the contact details citizens are told to use: the government's
    政府信息公开工作机构 and each organisation that has published its own."""
    government = site_government(request)
    contacts = (
        Organisation.objects.in_government(government)
        .active()
        .exclude(pk=government.pk)
        .exclude(phone="", address="", email="")
        .only("name", "address", "postcode", "office_hours", "phone", "fax", "email")
        .order_by("order", "id")
    )
    return {
        "nav": "foi",
        "form": form,
        "office": government.contact_source(),
        "contacts": contacts,
    }


def _already_received(request):
    """A repeat of a submission already saved (double click, back button, or someone who knows
    the key): it says so and nothing more — no tracking code, no tracking session."""
    return render(request, "portal/foi/received.html", {"nav": "foi"})


def _submitted(request, req):
    """Shows the new tracking code to the browser that submitted; the status pages still need
    the tracking check (foi.access.open_tracking)."""
    request.session["foi_submitted"] = req.tracking_code
    return redirect("portal:foi_submitted")


def submitted(request):
    code = request.session.get("foi_submitted")
    req = InfoRequest.objects.filter(tracking_code=code).select_related("organisation").first()
    if req is None:
        return redirect("portal:foi_apply")
    return render(request, "portal/foi/submitted.html", {"nav": "foi", "req": req})


def track(request):
    government = site_government(request)
    mode = captcha_mode(request)
    if request.method == "POST" and limit_reached(request, "foi_track", *TRACK_LIMIT):
        # Refused before anything is checked: a right guess after the limit fails too.
        form = _fresh_form(request, mode, request.POST, "查询失败次数过多，请一小时后再试。")
        return render(request, "portal/foi/track.html", {"nav": "foi", "form": form}, status=429)
    form = TrackForm(request.POST or None, captcha_mode=mode, request=request)
    if request.method == "POST" and form.is_valid():
        req = open_tracking(
            request, government, form.cleaned_data["tracking_code"], form.cleaned_data["contact"]
        )
        if req is not None:
            return redirect("portal:foi_status", code=req.tracking_code)
        rate_limited(request, "foi_track", *TRACK_LIMIT)  # counts the failed check
        form = _fresh_form(
            request, mode, form.cleaned_data, "查询码与联系方式不匹配，请核对后重试。"
        )
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/foi/track.html", {"nav": "foi", "form": form}, status=status)


def _fresh_form(request, mode, data, message):
    """The form as typed, with `message`, re-rendered with a new captcha (each is used once)."""
    typed = {name: data.get(name, "") for name in ("tracking_code", "contact")}
    fresh = TrackForm(initial=typed, captcha_mode=mode, request=request)
    fresh.cleaned_data = {}
    fresh.add_error(None, message)
    return fresh


def status(request, code):
    req = tracked_request(request, code)
    return render(request, "portal/foi/status.html", _status_context(req))


def _status_context(req, form=None):
    clock = actions.clock_for(req)
    return {
        "nav": "foi",
        "req": req,
        "clock": clock,
        "events": req.events.filter(public=True),
        "letters": req.letters.to_requester(),
        "attachments": req.attachments.all() if req.state in CLOSED_WITH_REPLY else [],
        "correction_form": form or CorrectionUploadForm(),
        "awaiting_correction": req.state == State.AWAITING_CORRECTION,
        "correction_letter": req.letters.filter(kind=LetterKind.CORRECTION_NOTICE).last(),
        "today": timezone.localdate(),
    }


@require_POST
def correct(request, code):
    req = tracked_request(request, code)
    form = CorrectionUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.receive_correction(
                None, req, form.cleaned_data.get("text") or "", form.cleaned_data.get("file")
            )
        except actions.ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "补正材料已提交，答复期限自今日起重新计算。")
            return redirect("portal:foi_status", code=code)
    return render(request, "portal/foi/status.html", _status_context(req, form), status=400)


@require_POST
def withdraw(request, code):
    req = tracked_request(request, code)
    try:
        actions.withdraw(None, req, request.POST.get("note", ""))
    except actions.ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "您的申请已撤回。")
    return redirect("portal:foi_status", code=code)


def attachment(request, code, attachment_id):
    req = tracked_request(request, code)
    item = req.attachments.filter(pk=attachment_id).first()
    if item is None or req.state not in CLOSED_WITH_REPLY:
        raise Http404("未找到该文件。")
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


def letter(request, code, letter_id, fmt):
    req = tracked_request(request, code)
    item = req.letters.to_requester().filter(pk=letter_id).select_related("organisation").first()
    if item is None:
        raise Http404("未找到该文书。")
    return letter_response(item, fmt, request)
