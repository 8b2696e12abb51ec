"""Alignment between plans, against the hand-checked answer set for the Tengzhou key points
and the Jining table (written before the matcher was tuned)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from gongkai.cli import main
from gongkai.plans import actions, alignment
from gongkai.plans.alignment import align, plan_row_text
from gongkai.plans.importers import parse_file
from gongkai.plans.models import Alignment, AlignmentState
from gongkai.testing import forbidden

from .conftest import JINING_DOCX, JINING_TXT, TENGZHOU_TXT, import_sample

ANSWERS = Path(__file__).parent / "data" / "alignment_tengzhou_jining.yaml"


@pytest.fixture(scope="module")
def answers():
    return yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def parsed():
    return parse_file(TENGZHOU_TXT), parse_file(JINING_TXT)


def _pairs(result, a, b):
    return {(a.rows[it.index].n, b.rows[j].n) for it in result.items for j, _ in it.matches}


def test_answer_set_covers_every_point_with_a_reason(answers, parsed):
    a, b = parsed
    assert [it["item"] for it in answers["items"]] == [r.n for r in a.rows]
    for it in answers["items"]:
        assert it["coverage"] in ("covered", "partly", "none")
        for m in it["matches"]:
            assert 1 <= m["row"] <= len(b.rows) and len(m["reason"]) >= 8
    matched = {m["row"] for it in answers["items"] for m in it["matches"]}
    assert set(answers["uncovered"]) == set(range(1, 67)) - matched


@pytest.mark.parametrize(("titles", "minimum"), [(True, 0.9), (False, 0.85)])
def test_precision_and_recall_against_the_answer_set(answers, parsed, titles, minimum):
    a, b = parsed
    truth = {(it["item"], m["row"]) for it in answers["items"] for m in it["matches"]}
    result = align(
        [plan_row_text(r.to_dict(), titles=titles) for r in a.rows],
        [plan_row_text(r.to_dict(), titles=titles) for r in b.rows],
    )
    predicted = _pairs(result, a, b)
    tp = len(predicted & truth)
    assert tp / len(predicted) >= minimum  # precision
    assert tp / len(truth) >= minimum  # recall
    uncovered = {b.rows[j].n for j in result.uncovered}
    assert len(uncovered & set(answers["uncovered"])) >= 0.9 * len(answers["uncovered"])


def test_matches_are_sorted_and_cut_at_the_threshold():
    result = align(
        ["推进政务公开标准化规范化", "完全无关的内容"],
        ["政务公开标准化规范化建设", "标准化", "天气"],
    )
    first = result.items[0]
    scores = [s for _, s in first.matches]
    assert scores == sorted(scores, reverse=True)
    assert all(s >= alignment.MATCH_THRESHOLD for s in scores)
    assert first.matches[0][0] == 0 and first.coverage in ("covered", "partly")
    assert result.items[1].matches == [] and result.items[1].coverage == "none"
    assert 2 in result.uncovered


def test_no_sample_text_in_the_matching_code(parsed):
    a, b = parsed
    source = Path(alignment.__file__).read_text(encoding="utf-8")
    chunks = set()
    for row in a.rows + b.rows:
        text = re.sub(r"\s", "", row.subsection + row.requirement)
        chunks |= {text[i : i + 6] for i in range(0, max(len(text) - 6, 0), 3)}
    assert not [c for c in chunks if c in source]


def test_cli_align_json(capsys):
    assert main(["plans", "align", str(TENGZHOU_TXT), str(JINING_DOCX), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [it["item"] for it in data["items"]] == list(range(1, 21))
    point5 = data["items"][4]
    assert point5["coverage"] == "covered" and point5["matches"][0]["row"] == 17
    assert all(0 <= m["score"] <= 1 for it in data["items"] for m in it["matches"])
    assert 2 in data["uncovered"] and 17 not in data["uncovered"]
    assert main(["plans", "align", str(TENGZHOU_TXT), "/nonexistent.docx", "--json"]) == 1
    assert "找不到文件" in capsys.readouterr().err


def test_officer_confirms_rejects_and_adds_matches(jining, people, client):
    city = import_sample(jining, people.office, JINING_TXT).plan
    county = import_sample(jining, people.office, TENGZHOU_TXT).plan
    with forbidden():
        actions.run_alignment(people.fgw, county, city)
    n = actions.run_alignment(people.office, county, city)
    assert n == Alignment.objects.count() > 20
    first = Alignment.objects.filter(item__n=5).order_by("-score").first()
    assert first.target.n == 17
    actions.decide_alignment(people.office, first, AlignmentState.CONFIRMED)
    wrong = Alignment.objects.filter(item__n=1).order_by("score").first()
    actions.decide_alignment(people.office, wrong, AlignmentState.REJECTED)
    # Running again keeps the officer's decisions.
    actions.run_alignment(people.office, county, city)
    first.refresh_from_db()
    wrong.refresh_from_db()
    assert first.state == AlignmentState.CONFIRMED and wrong.state == AlignmentState.REJECTED
    client.force_login(people.office)
    url = f"/manage/plans/{county.pk}/alignment/?other={city.pk}"
    resp = client.post(url, {"do": "add", "other": city.pk, "item": 7, "target": 7})
    assert resp.status_code == 302
    added = Alignment.objects.get(item__n=7, target__n=7)
    assert added.state == AlignmentState.CONFIRMED and 0 <= added.score <= 1
    html = client.get(url).content.decode()
    assert "中未被覆盖的任务" in html and "已确认" in html
    client.force_login(people.fgw)
    assert client.get(url).status_code == 404
