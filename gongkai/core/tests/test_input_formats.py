"""Date inputs render and accept ISO dates (an <input type="date"> drops 2026/12/07)."""

import datetime

from django import forms

from gongkai.core.text import book_title
from gongkai.foi.forms import ConfirmForm


class _Dated(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


def test_prefilled_dates_render_iso():
    form = _Dated(
        initial={"day": datetime.date(2026, 12, 7), "at": datetime.datetime(2026, 12, 7, 9, 30)}
    )
    html = str(form)
    assert 'value="2026-12-07"' in html and 'value="2026-12-07T09:30"' in html
    confirm = ConfirmForm(initial={"confirmed_on": datetime.date(2026, 12, 7)})
    assert 'value="2026-12-07"' in str(confirm["confirmed_on"])


def test_iso_and_chinese_dates_are_accepted():
    for text in ("2026-12-07", "2026/12/07", "2026年12月7日"):
        form = _Dated({"day": text, "at": "2026-12-07T09:30"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2026, 12, 7)


def test_book_title_is_not_doubled():
    assert book_title("济宁市生活垃圾分类管理办法") == "《济宁市生活垃圾分类管理办法》"
    assert (
        book_title("《济宁市城市更新专项规划》（征求意见稿）")
        == "《济宁市城市更新专项规划》（征求意见稿）"
    )
