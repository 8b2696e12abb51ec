"""Splitting 牵头部门 / 责任单位 cells into single names; collectives stay whole."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.plans.importers.orgnames import split_org_names

CASES = [
    ("市发展改革委\n市自然资源和规划局", ["市发展改革委", "市自然资源和规划局"]),
    ("市发展改革委、市自然资源和规划局", ["市发展改革委", "市自然资源和规划局"]),
    ("市发展改革委，市商务局；市大数据中心", ["市发展改革委", "市商务局", "市大数据中心"]),
    ("发展改革委、市商务局", ["发展改革委", "市商务局"]),
    ("国网济宁供电公司、人民银行济宁市中心支行", ["国网济宁供电公司", "人民银行济宁市中心支行"]),
    ("市政府各部门、单位", ["市政府各部门、单位"]),
    ("市政府有关部门、单位", ["市政府有关部门、单位"]),
    ("各县（市、区）政府", ["各县（市、区）政府"]),
    ("任城区、兖州区政府", ["任城区、兖州区政府"]),
    (
        "济宁高新区、太白湖新区、济宁经济技术开发区管委会",
        ["济宁高新区、太白湖新区、济宁经济技术开发区管委会"],
    ),
    ("市、县级政府办公室", ["市、县级政府办公室"]),
    ("市教育局、市科技局等市政府有关部门、单位", ["市教育局、市科技局等市政府有关部门、单位"]),
    ("各镇人民政府、街道办事处", ["各镇人民政府、街道办事处"]),
    ("各县（市、区）政府、各开发区管委会", ["各县（市、区）政府", "各开发区管委会"]),
    ("市发展改革委、市政府有关部门", ["市发展改革委", "市政府有关部门"]),
    (
        "市政府有关部门、单位，各县（市、区）政府，济宁高新区、太白湖新区、济宁经济技术开发区管委会",
        [
            "市政府有关部门、单位",
            "各县（市、区）政府",
            "济宁高新区、太白湖新区、济宁经济技术开发区管委会",
        ],
    ),
    ("曲阜文化建设示范区管委会（推进办公室）", ["曲阜文化建设示范区管委会（推进办公室）"]),
    ("市财政局\n市财政局", ["市财政局"]),
    ("  市财政局。 ", ["市财政局"]),
    ("", []),
    (None, []),
]


@pytest.mark.parametrize(("text", "names"), CASES)
def test_split_org_names(text, names):
    assert split_org_names(text) == names


@given(st.text())
def test_never_crashes_and_names_come_from_the_text(text):
    for name in split_org_names(text):
        assert name
        assert name in text
