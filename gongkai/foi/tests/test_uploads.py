"""ID proofs and other uploads: checked by their bytes, served as attachments with nosniff,
deleted after the retention period (issue 13 point 11)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.core.files.tests import hostile
from gongkai.core.models import AuditEvent
from gongkai.foi import actions, forms
from gongkai.foi.actions.retention import delete_expired_id_proofs
from gongkai.foi.models import InfoRequest, Requester
from gongkai.foi.periodic import id_proof_retention

from .conftest import asking, id_proof, person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["身份证.docx", "身份证.pdf", "身份证.jpg"])
def test_an_executable_named_as_an_id_proof_is_refused(name):
    upload = SimpleUploadedFile(name, hostile.renamed_executable())
    field = forms.ApplyForm.base_fields["id_proof"]
    with pytest.raises(ValidationError, match="可执行程序或脚本"):
        field.clean(upload)


def test_an_id_proof_whose_bytes_are_not_its_extension_is_refused():
    field = forms.ApplyForm.base_fields["id_proof"]
    with pytest.raises(ValidationError, match=r"内容与扩展名 \.pdf 不符"):
        field.clean(SimpleUploadedFile("id.pdf", b"\x89PNG\r\n\x1a\nnot a pdf"))
    assert field.clean(SimpleUploadedFile("id.pdf", b"%PDF-1.7\n%...")).name == "id.pdf"


def test_correction_and_ledger_uploads_are_checked_by_content():
    form = forms.CorrectionUploadForm(
        {"text": "补充说明"},
        {"file": SimpleUploadedFile("补正.docx", hostile.renamed_executable())},
    )
    assert not form.is_valid()
    assert "可执行程序" in form.errors["file"][0]
    form = forms.ImportForm({}, {"file": SimpleUploadedFile("台账.xlsx", b"MZ\x90\x00")})
    assert not form.is_valid()
    assert "可执行程序" in form.errors["file"][0]


def _submitted(government, dept_a, key="k-upload"):
    req, _ = actions.submit_online(
        government, dept_a, person(), asking(), idempotency_key=key, id_proof=id_proof()
    )
    return req


def test_id_proof_is_served_as_an_attachment_with_nosniff(government, dept_a, officer_a, login):
    req = _submitted(government, dept_a)
    response = login(officer_a).get(reverse("foi_staff:id_proof", args=[req.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_id_proofs_are_deleted_after_the_retention_period_audited(government, dept_a, settings):
    settings.GONGKAI_ID_PROOF_RETENTION_DAYS = 30
    form = forms.ApplyForm(government=government)
    assert "申请办结 30 天后删除" in form.fields["id_proof"].help_text  # the stated period
    today = timezone.localdate()
    old = _submitted(government, dept_a, "k-old")
    recent = _submitted(government, dept_a, "k-recent")
    still_open = _submitted(government, dept_a, "k-open")
    InfoRequest.objects.filter(pk=old.pk).update(
        state="withdrawn", finished_on=today - timedelta(days=31)
    )
    InfoRequest.objects.filter(pk=recent.pk).update(
        state="withdrawn", finished_on=today - timedelta(days=29)
    )
    old_file = Requester.objects.get(pk=old.requester_id).id_proof.name
    storage = Requester.objects.get(pk=old.requester_id).id_proof.storage
    assert storage.exists(old_file)

    assert "将删除" in id_proof_retention(dry_run=True)
    assert Requester.objects.get(pk=old.requester_id).id_proof.name == old_file

    assert id_proof_retention() == "已删除超过保存期限（办结后 30 天）的身份证明 1 份"
    assert Requester.objects.get(pk=old.requester_id).id_proof.name == ""
    assert not storage.exists(old_file)
    assert Requester.objects.get(pk=recent.requester_id).id_proof.name
    assert Requester.objects.get(pk=still_open.requester_id).id_proof.name
    event = AuditEvent.objects.get(action="foi.id_proof_deleted")
    assert event.object_id == str(old.requester_id)
    assert event.before == {"id_proof": old_file}
    assert delete_expired_id_proofs() == 0  # nothing left to delete
