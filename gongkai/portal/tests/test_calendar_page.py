from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.core.models import AuditEvent

NOTICE_2027 = """\
年份: 2027
标题: 国务院办公厅关于2027年部分节假日安排的通知
节日:
  - 名称: 元旦
    放假: 2027-01-01 至 2027-01-03
"""


def test_calculator_explains_a_deadline(login, officer_a):
    response = login(officer_a).get(reverse("staff:calendar"), {"start": "2026-02-10", "n": 20})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2026-03-16" in html and "计算过程" in html
    assert 'type="file"' not in html  # loading a year is for the openness office


def test_provisional_result_is_marked(login, officer_a):
    html = (
        login(officer_a)
        .get(reverse("staff:calendar"), {"start": "2026-12-20", "n": 20})
        .content.decode()
    )
    assert "暂定" in html


def test_officer_cannot_load_a_year(login, officer_a):
    upload = SimpleUploadedFile("2027.yaml", NOTICE_2027.encode())
    response = login(officer_a).post(reverse("staff:calendar"), {"file": upload})
    assert response.status_code == 403


def test_office_loads_a_year_and_bad_file_is_explained(login, office):
    client = login(office)
    html = client.get(reverse("staff:calendar")).content.decode()
    assert "2027年节假日安排尚未载入" in html
    bad = SimpleUploadedFile("2027.yaml", NOTICE_2027.replace("2027-01-03", "2027-02-30").encode())
    response = client.post(reverse("staff:calendar"), {"file": bad}, follow=True)
    html = response.content.decode()
    assert "2027-02-30" in html and "message-error" in html
    assert not AuditEvent.objects.filter(action="calendar.load_year").exists()

    good = SimpleUploadedFile("2027.yaml", NOTICE_2027.encode())
    response = client.post(reverse("staff:calendar"), {"file": good}, follow=True)
    html = response.content.decode()
    assert "2027年节假日安排已载入" in html
    assert AuditEvent.objects.filter(action="calendar.load_year").count() == 1
    html = client.get(reverse("staff:calendar"), {"start": "2026-12-31", "n": 1}).content.decode()
    assert "2027-01-04" in html  # 1–3 January are now holidays
