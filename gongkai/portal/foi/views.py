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

from gongkai.core.public_forms import captcha_mode, rate_limited
from gongkai.foi import actions
from gongkai.foi.forms import ApplyForm, CorrectionUploadForm, TrackForm
from gongkai.foi.models import InfoRequest, LetterKind, State
from gongkai.foi.views import letter_response
from gongkai.orgs.sites import site_government

CLOSED_WITH_REPLY = (State.REPLIED, State.DELIVERED, State.ARCHIVED)

APPLY_LIMIT = (20, 3600)  # submissions per address per hour
TRACK_LIMIT = (30, 3600)  # failed checks per address per hour
SESSION_KEY = "foi_tracked"


def apply(request):
    government = site_government(request)
    mode = captcha_mode(request)
    if request.method == "POST":
        form = ApplyForm(request.POST, request.FILES, government=government, captcha_mode=mode)
        if rate_limited(request, "foi_apply", *APPLY_LIMIT):
            form.is_valid()
            form.add_error(
                None, "提交过于频繁，请一小时后再试，或拨打政府信息公开工作机构电话咨询。"
            )
            return render(
                request, "portal/foi/apply.html", {"nav": "foi", "form": form}, status=429
            )
        key = request.POST.get("idempotency_key", "")
        done = InfoRequest.objects.filter(idempotency_key=key).first() if key else None
        if done is not None:  # a double submit: the request is already saved
            return _submitted(request, done)
        if form.is_valid():
            try:
                req, _ = actions.submit_online(
                    government,
                    form.cleaned_data["organisation"],
                    form.requester_data(),
                    form.request_data(),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    id_proof=form.cleaned_data["id_proof"],
                )
            except actions.ActionError as exc:
                form.add_error(None, str(exc))
            else:
                return _submitted(request, req)
        return render(request, "portal/foi/apply.html", {"nav": "foi", "form": form}, status=400)
    form = ApplyForm(
        initial={"idempotency_key": uuid.uuid4().hex, "organisation": government.pk},
        government=government,
        captcha_mode=mode,
    )
    return render(request, "portal/foi/apply.html", {"nav": "foi", "form": form})


def _remember(request, req) -> None:
    tracked = set(request.session.get(SESSION_KEY, []))
    tracked.add(req.tracking_code)
    request.session[SESSION_KEY] = sorted(tracked)


def _submitted(request, req):
    _remember(request, req)
    request.session["foi_submitted"] = req.tracking_code
    return redirect("portal:foi_submitted")


def submitted(request):
    code = request.session.get("foi_submitted")
    req = InfoRequest.objects.filter(tracking_code=code).select_related("organisation").first()
    if req is None:
        return redirect("portal:foi_apply")
    return render(request, "portal/foi/submitted.html", {"nav": "foi", "req": req})


def _matches(req: InfoRequest, contact: str) -> bool:
    contact = contact.strip()
    person = req.requester
    digits = "".join(c for c in contact if c.isdigit())
    if person.phone and digits and digits == "".join(c for c in person.phone if c.isdigit()):
        return True
    return bool(person.email and contact.lower() == person.email.lower())


def track(request):
    government = site_government(request)
    mode = captcha_mode(request)
    form = TrackForm(request.POST or None, captcha_mode=mode)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["tracking_code"]
        req = (
            InfoRequest.objects.filter(tracking_code=code, government=government)
            .select_related("requester")
            .first()
        )
        if req is not None and _matches(req, form.cleaned_data["contact"]):
            _remember(request, req)
            return redirect("portal:foi_status", code=req.tracking_code)
        if rate_limited(request, "foi_track", *TRACK_LIMIT):
            form.add_error(None, "查询失败次数过多，请一小时后再试。")
        else:
            form.add_error(None, "查询码与联系方式不匹配，请核对后重试。")
        form = _fresh_captcha(form, mode)
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/foi/track.html", {"nav": "foi", "form": form}, status=status)


def _fresh_captcha(form, mode):
    """The bound form with its errors, re-rendered with a new captcha (each is used once)."""
    fresh = TrackForm(initial=form.cleaned_data, captcha_mode=mode)
    # Django keeps a bound form's errors in _errors (not declared by django-stubs).
    fresh._errors = form._errors  # type: ignore[attr-defined]
    fresh.cleaned_data = form.cleaned_data
    fresh.is_bound = False
    return fresh


def _tracked(request, code) -> InfoRequest:
    if code not in request.session.get(SESSION_KEY, []):
        raise Http404("未找到该申请。")
    req = (
        InfoRequest.objects.filter(tracking_code=code, government=request.government)
        .select_related("organisation", "requester")
        .first()
    )
    if req is None:
        raise Http404("未找到该申请。")
    return req


def status(request, code):
    req = _tracked(request, code)
    return render(request, "portal/foi/status.html", _status_context(req))


def _status_context(req, form=None):
    clock = actions.clock_for(req)
    return {
        "nav": "foi",
        "req": req,
        "clock": clock,
        "events": req.events.filter(public=True),
        "letters": req.letters.all(),
        "attachments": req.attachments.all() if req.state in CLOSED_WITH_REPLY else [],
        "correction_form": form or CorrectionUploadForm(),
        "awaiting_correction": req.state == State.AWAITING_CORRECTION,
        "correction_letter": req.letters.filter(kind=LetterKind.CORRECTION_NOTICE).last(),
        "today": timezone.localdate(),
    }


@require_POST
def correct(request, code):
    req = _tracked(request, code)
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
    req = _tracked(request, code)
    try:
        actions.withdraw(None, req, request.POST.get("note", ""))
    except actions.ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "您的申请已撤回。")
    return redirect("portal:foi_status", code=code)


def attachment(request, code, attachment_id):
    req = _tracked(request, code)
    item = req.attachments.filter(pk=attachment_id).first()
    if item is None or req.state not in CLOSED_WITH_REPLY:
        raise Http404("未找到该文件。")
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


def letter(request, code, letter_id, fmt):
    req = _tracked(request, code)
    item = req.letters.filter(pk=letter_id).select_related("organisation").first()
    if item is None:
        raise Http404("未找到该文书。")
    return letter_response(item, fmt)
