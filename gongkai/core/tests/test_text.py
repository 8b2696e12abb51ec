"""core.text: normalisation, segmentation, the bigram streams and similarity."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core import text


def test_doc_no_bracket_forms_normalise_to_one():
    forms = [
        "济政办字〔2021〕18号",
        "济政办字[2021]18号",
        "济政办字（2021）18号",
        "济政办字【2021】18号",
        "济政办字(2021)18号",
        "济政办字［2021］18号",
        "济政办字 〔2021〕 18号",
    ]
    assert {text.normalize_doc_no(f) for f in forms} == {"济政办字〔2021〕18号"}


def test_fold_keeps_length_and_maps_full_width():
    value = "ＡＢＣ１２３（2021）"
    assert len(text.fold(value)) == len(value)
    assert text.fold(value) == "abc123〔2021〕"


def test_segment_uses_government_dictionary():
    words = text.segment("关于印发2021年济宁市政务公开工作任务分解表的通知")
    assert "政务公开" in words
    assert "，" not in words and " " not in words
    assert "人民政府" in text.search_words("济宁市人民政府")


def test_char_stream_bigrams_and_run_end():
    assert text.char_stream("互联网协议 IPv6") == ["互联", "联网", "网协", "协议", "议", "ipv6"]
    assert text.char_stream("") == []


def _matches(doc_stream, query):
    """Whether query_stream(query) occurs consecutively in doc_stream (prefix aware)."""
    q = text.query_stream(query)
    for i in range(len(doc_stream) - len(q) + 1):
        if all(
            doc_stream[i + j].startswith(tok) if prefix else doc_stream[i + j] == tok
            for j, (tok, prefix) in enumerate(q)
        ):
            return True
    return False


def test_query_stream_finds_words_inside_compounds():
    doc = text.char_stream("推进互联网协议第六版规模部署")
    assert _matches(doc, "互联网")
    assert _matches(doc, "网")
    assert _matches(doc, "第六版规模")
    assert not _matches(doc, "规模化")


def test_query_stream_matches_doc_no_in_any_form():
    doc = text.char_stream("根据济政办字〔2021〕18号文件")
    for form in ["济政办字[2021]18号", "济政办字（2021）18号", "办字【2021】18", "〔2021〕18号"]:
        assert _matches(doc, form), form


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E30)
TEXT = st.text(alphabet=st.one_of(CJK, st.sampled_from("ab12 ，。〔〕[]")), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.data())
def test_every_substring_is_found(doc, data):
    """The recall guarantee: any substring that starts and ends on a Chinese character or on a
    whole ASCII word is found by the bigram stream."""
    folded = text.fold(doc)
    start = data.draw(st.integers(0, len(folded) - 1))
    end = data.draw(st.integers(start + 1, len(folded)))
    query = folded[start:end]
    if not re.search(r"[\u4e00-\u9fff0-9a-z]", query):
        return
    # ASCII words are searched from their start: skip a query that cuts a word on the left.
    if (
        start > 0
        and folded[start - 1].isascii()
        and folded[start - 1].isalnum()
        and (query[0].isascii() and query[0].isalnum())
    ):
        return
    assert _matches(text.char_stream(doc), query), (doc, query)


def test_similarity_basics():
    a = "推进政务公开标准化规范化建设"
    assert text.similarity(a, a) > 0.999
    assert text.similarity(a, "深化基层政务公开标准化规范化") > 0.4
    assert text.similarity(a, "做好秋冬季森林防火工作") < 0.15
    assert text.similarity("", a) == 0.0


def test_vectorizer_ranks_the_closest():
    tasks = [
        "加强政策解读工作",
        "做好政府信息公开年度报告编制",
        "推进决策公开和公众参与",
        "规范依申请公开办理",
    ]
    vec = text.Vectorizer(tasks)
    best = vec.most_similar("认真编制政府信息公开工作年度报告", tasks, top=1)
    assert best[0][0] == 1
    matrix = vec.matrix(["依申请公开办理要规范"], tasks)
    assert max(range(4), key=lambda i: matrix[0][i]) == 3


def test_excerpt_and_spans():
    snippet, spans = text.excerpt("甲" * 100 + "政务公开" + "乙" * 100, "政务公开", 40)
    assert len(snippet) <= 40
    assert snippet[spans[0][0] : spans[0][1]] == "政务公开"
    assert text.find_spans("文号济政办字[2021]18号", "济政办字〔2021〕18号") == [(2, 15)]


def test_query_parts_simplify_split_at_separators_and_read_document_numbers():
    assert text.query_parts("依申请公开、政策解读").terms == ("依申请公开", "政策解读")
    assert text.query_parts("疫情；防控｜通知　公告 / 决定").terms == (
        "疫情",
        "防控",
        "通知",
        "公告",
        "决定",
    )
    assert text.query_parts("政府資訊公開").terms == ("政府信息公开",)
    assert text.query_parts("衞健委 綫上").terms == ("卫健委", "线上")
    for form in [
        "济政办字〔2021〕118号",
        "济政办字2021118号",
        "济政办字（2021）第118号",
        "济政办字[2021]118号",
        "济政办字2021年118号",
        "濟政辦字〔2021〕118號",
    ]:
        assert text.query_parts(form) == text.QueryParts(("济政办字〔2021〕118号",)), form
    without_year = text.query_parts("济政办字第118号")
    assert without_year == text.QueryParts(("济政办字", "118号"), by_date=True)
    assert text.parse_doc_no("公开指南") is None
    assert text.parse_doc_no("234号") is None


def test_numbers_are_bigrams_so_a_query_may_start_inside_one():
    assert text.char_stream("1234号") == ["12", "23", "34", "4", "号"]
    assert [t for t, _ in text.query_stream("234号")] == ["23", "34", "4", "号"]
    assert text.char_stream("IPv6 5G") == ["ipv6", "5", "g"]
