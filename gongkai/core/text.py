"""Chinese text: the ONE module for normalisation, segmentation, bigrams and similarity.

Every app that reads Chinese text goes through here, so that search indexing, search queries,
work-plan alignment and grouping of similar requests see the same tokens.

Public API (plain functions over plain strings, no database):

- ``fold(text) -> str`` — length-preserving per-character normalisation: full-width ASCII to
  half-width, ASCII lower case, and every bracket form around a year in a
  document number (〔2021〕 [2021] （2021） (2021) 【2021】 ［2021］) to 〔2021〕. Character i of the
  result corresponds to character i of the input, which is what highlighting needs.
- ``normalize(text) -> str`` — ``fold`` plus whitespace collapsed and trimmed.
- ``normalize_doc_no(doc_no) -> str`` — a document number in its canonical form
  (济政办字[2021]18号 → 济政办字〔2021〕18号), spaces removed.
- ``segment(text) -> list[str]`` — words (rjieba with the government dictionary), punctuation and
  spaces dropped.
- ``search_words(text) -> list[str]`` — the finer "search mode" segmentation (rjieba
  ``cut_for_search``): long words also yield their sub-words (人民政府 → 人民, 政府, 人民政府).
- ``char_stream(text) -> list[str]`` — the character-bigram token stream used by full-text
  search: every run of Chinese characters gives its overlapping bigrams followed by its last
  character; every run of ASCII letters/digits gives one lower-case token. Any substring of the
  text maps to a consecutive sub-sequence of this stream (see ``query_stream``), which is how
  search never misses a record that contains the query string.
- ``query_stream(text) -> list[tuple[str, bool]]`` — the tokens (token, is_prefix) that must
  appear consecutively in ``char_stream`` of any text containing ``text``.
- ``add_words(words)`` — add words to the government dictionary (organisation names, …).
- ``features(text) -> dict`` — the sparse vector of a text: words (weight 1) and character
  bigrams (weight 0.5), stop words removed.
- ``similarity(a, b) -> float`` — cosine similarity of ``features`` in [0, 1]; 1 for the same
  text after normalisation, 0 when nothing is shared.
- ``Vectorizer`` — the batch form: ``Vectorizer(texts)`` learns IDF weights from a corpus;
  ``.vector(text)``, ``.similarity(a, b)``, ``.matrix(rows, cols) -> list[list[float]]`` and
  ``.most_similar(text, candidates, top=5, threshold=0.0) -> list[(index, score)]``.
- ``find_spans(text, query) -> list[(start, end)]`` and ``excerpt(text, query, width)`` for
  highlighting.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import rjieba

__all__ = [
    "GOVERNMENT_WORDS",
    "STOP_WORDS",
    "Vectorizer",
    "add_words",
    "char_stream",
    "cosine",
    "excerpt",
    "features",
    "find_spans",
    "fold",
    "is_cjk",
    "is_plain_word",
    "normalize",
    "normalize_doc_no",
    "query_stream",
    "search_words",
    "segment",
    "similarity",
]

# Words of government work that the general dictionary splits or misses.
GOVERNMENT_WORDS = [
    "政务公开",
    "政府信息公开",
    "政府信息",
    "主动公开",
    "依申请公开",
    "不予公开",
    "公开指南",
    "公开目录",
    "公开属性",
    "索引号",
    "发文字号",
    "政策解读",
    "三同步",
    "规范性文件",
    "行政规范性文件",
    "政策性文件",
    "重大行政决策",
    "决策事项目录",
    "公众参与",
    "政民互动",
    "营商环境",
    "放管服",
    "一网通办",
    "一次办好",
    "一件事",
    "政务服务",
    "互联网+政务服务",
    "政务新媒体",
    "政府网站",
    "政府公报",
    "公共资源交易",
    "财政预决算",
    "双随机",
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政复议",
    "行政诉讼",
    "乡村振兴",
    "新型城镇化",
    "高质量发展",
    "新旧动能转换",
    "黄河流域",
    "生态保护",
    "基层政务公开",
    "标准化规范化",
    "政府开放日",
    "工作要点",
    "任务分解",
    "牵头部门",
    "责任单位",
    "公开办",
    "信息员",
    "年度报告",
    "十四五",
    "12345热线",
    "人民政府",
    "办公室",
    "管委会",
]

STOP_WORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "等",
        "在",
        "对",
        "为",
        "是",
        "将",
        "由",
        "于",
        "以",
        "把",
        "被",
        "并",
        "其",
        "之",
        "也",
        "就",
        "都",
        "而",
        "且",
        "从",
        "向",
        "这",
        "那",
        "有",
        "中",
        "上",
        "下",
        "个",
        "各",
        "该",
        "此",
        "已",
        "按",
        "及其",
        "以及",
        "或者",
        "关于",
        "进行",
        "有关",
        "一",
        "二",
        "三",
    ]
)

_lock = threading.Lock()
_dictionary_loaded = False


def _ensure_dictionary() -> None:
    global _dictionary_loaded
    if _dictionary_loaded:
        return
    with _lock:
        if not _dictionary_loaded:
            for word in GOVERNMENT_WORDS:
                rjieba.add_word(word, None, None)
            _dictionary_loaded = True


def add_words(words: Iterable[str]) -> None:
    """Add words (organisation names, programme names …) to the segmentation dictionary."""
    _ensure_dictionary()
    with _lock:
        for word in words:
            word = normalize(word).replace(" ", "")
            if len(word) >= 2:
                rjieba.add_word(word, None, None)


# --- Normalisation ----------------------------------------------------------------------------

_OPEN_BRACKETS = "〔[(（【［〖"
_CLOSE_BRACKETS = "〕])）】］〗"
_YEAR_IN_BRACKETS = re.compile(
    "[" + re.escape(_OPEN_BRACKETS) + r"](\s*\d{4}\s*)[" + re.escape(_CLOSE_BRACKETS) + "]"
)


# Full-width ASCII → ASCII, ideographic space → space, A–Z → a–z: one str.translate, which
# keeps the length (character i of the result is character i of the input).
_FOLD_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD_TABLE.update({0x3000: 0x20})
_FOLD_TABLE.update({code: code + 32 for code in range(0x41, 0x5B)})
_FOLD_TABLE.update({code: code + 32 - 0xFEE0 for code in range(0xFF21, 0xFF3B)})


def fold(text: str) -> str:
    """Per-character normalisation that keeps the length (see the module docstring)."""
    if not text:
        return ""
    folded = text.translate(_FOLD_TABLE)
    return _YEAR_IN_BRACKETS.sub(lambda m: "〔" + m.group(1) + "〕", folded)


_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    return _SPACES.sub(" ", fold(text or "")).strip()


def normalize_doc_no(doc_no: str) -> str:
    """济政办字[2021]18号, 济政办字（2021）18号 … → 济政办字〔2021〕18号."""
    return _SPACES.sub("", fold(doc_no or ""))


_DOC_NO_YEAR = re.compile(r"〔((?:19|20)\d{2})〕")


def doc_no_year(doc_no: str) -> int | None:
    """The year in a 文号's brackets: 济政办字[2021]18号 → 2021; None without one."""
    m = _DOC_NO_YEAR.search(normalize_doc_no(doc_no))
    return int(m.group(1)) if m else None


# --- Segmentation -----------------------------------------------------------------------------


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2FA1F
        or code == 0x3007  # 〇
    )


def _is_word_char(ch: str) -> bool:
    return is_cjk(ch) or (ch.isascii() and ch.isalnum())


_WORD_CHARS = "0-9A-Za-z\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_HAS_WORD_CHAR = re.compile(f"[{_WORD_CHARS}]")
_ONLY_WORD_CHARS = re.compile(f"[{_WORD_CHARS}]+")


def _keep(token: str) -> bool:
    return _HAS_WORD_CHAR.search(token) is not None


def is_plain_word(token: str) -> bool:
    """Whether token consists only of Chinese characters, ASCII letters and digits."""
    return _ONLY_WORD_CHARS.fullmatch(token) is not None


def segment(text: str) -> list[str]:
    """Words of text (rjieba ``cut`` with the government dictionary), normalised."""
    _ensure_dictionary()
    return [w for w in rjieba.cut(normalize(text)) if _keep(w)]


def search_words(text: str) -> list[str]:
    """Words in search mode: long words also give their sub-words."""
    _ensure_dictionary()
    return [w for w in rjieba.cut_for_search(normalize(text)) if _keep(w)]


# --- Character bigrams --------------------------------------------------------------------------

_RUNS = re.compile(
    r"[0-9a-z]+|[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+"
)


def _runs(text: str) -> list[tuple[str, int, int]]:
    """(run, start, end) of the runs of word characters in folded text."""
    return [(m.group(0), m.start(), m.end()) for m in _RUNS.finditer(fold(text))]


def _cjk_run_tokens(run: str) -> list[str]:
    tokens = [run[i : i + 2] for i in range(len(run) - 1)]
    tokens.append(run[-1])
    return tokens


def char_stream(text: str) -> list[str]:
    """The bigram token stream of text (see the module docstring)."""
    tokens: list[str] = []
    for run, _, _ in _runs(text):
        if run[0].isascii():
            tokens.append(run)
        else:
            tokens.extend(_cjk_run_tokens(run))
    return tokens


def query_stream(text: str) -> list[tuple[str, bool]]:
    """The consecutive tokens (token, is_prefix) that char_stream of any text containing
    `text` has. The first run of the query may start inside a longer run of the document and the
    last run may end inside one, so the last Chinese run does not emit its closing single
    character, and a last single character or ASCII word is a prefix token. ASCII words are
    matched from their start (a number or word is searched as typed from its beginning)."""
    runs = _runs(text)
    out: list[tuple[str, bool]] = []
    for i, (run, _, _) in enumerate(runs):
        last = i == len(runs) - 1
        if run[0].isascii():
            out.append((run, last))
            continue
        if len(run) == 1:
            # As the last run it may be the start of a longer run in the document.
            out.append((run, last))
            continue
        out.extend((run[j : j + 2], False) for j in range(len(run) - 1))
        if not last:
            out.append((run[-1], False))
    return out


# --- Highlighting -----------------------------------------------------------------------------


def _query_parts(query: str) -> list[str]:
    return [p for p in normalize(query).split(" ") if p]


def find_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of text where a part of the query occurs
    (after folding both), sorted."""
    folded = fold(text or "")
    spans: list[tuple[int, int]] = []
    for part in _query_parts(query):
        start = folded.find(part)
        while start != -1:
            spans.append((start, start + len(part)))
            start = folded.find(part, start + len(part))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def excerpt(text: str, query: str, width: int = 120) -> tuple[str, list[tuple[int, int]]]:
    """A window of about `width` characters of text around the first match, and the match
    spans inside the window (relative to it)."""
    text = _SPACES.sub(" ", text or "").strip()
    spans = find_spans(text, query)
    if not spans:
        return text[:width], []
    first = spans[0][0]
    start = max(0, first - width // 4)
    end = min(len(text), start + width)
    inside = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    return text[start:end], inside


# --- Similarity -------------------------------------------------------------------------------

BIGRAM_WEIGHT = 0.5


def features(text: str) -> dict[str, float]:
    """Sparse features of a text: words (weight 1) and Chinese character bigrams (weight 0.5)."""
    vec: dict[str, float] = {}
    for word in segment(text):
        if word not in STOP_WORDS:
            vec["w:" + word] = vec.get("w:" + word, 0.0) + 1.0
    for run, _, _ in _runs(text):
        if not run[0].isascii():
            for j in range(len(run) - 1):
                key = "b:" + run[j : j + 2]
                vec[key] = vec.get(key, 0.0) + BIGRAM_WEIGHT
    return vec


def cosine(u: Mapping[str, float], v: Mapping[str, float]) -> float:
    if not u or not v:
        return 0.0
    if len(u) > len(v):
        u, v = v, u
    dot = sum(weight * v.get(key, 0.0) for key, weight in u.items())
    if dot == 0:
        return 0.0
    norm = math.sqrt(sum(w * w for w in u.values())) * math.sqrt(sum(w * w for w in v.values()))
    return min(1.0, dot / norm) if norm else 0.0


def similarity(a: str, b: str) -> float:
    """How alike two texts are, in [0, 1] (cosine over words and character bigrams)."""
    return cosine(features(a), features(b))


class Vectorizer:
    """The batch form of `similarity`, with IDF weights learnt from a corpus so that words
    common to every text of the corpus (通知, 工作) count less.

        vec = Vectorizer(all_task_texts)
        vec.matrix(child_items, parent_tasks)      # rows × cols of scores in [0, 1]
        vec.most_similar("推进政务公开", parent_tasks, top=3)
    """

    def __init__(self, corpus: Iterable[str] = ()) -> None:
        corpus = list(corpus)
        self.documents = len(corpus)
        df: Counter[str] = Counter()
        for text in corpus:
            df.update(set(features(text)))
        self.idf = {
            key: math.log((1 + self.documents) / (1 + count)) + 1.0 for key, count in df.items()
        }
        self._default_idf = math.log(1 + self.documents) + 1.0

    def vector(self, text: str) -> dict[str, float]:
        return {
            key: weight * self.idf.get(key, self._default_idf)
            for key, weight in features(text).items()
        }

    def similarity(self, a: str, b: str) -> float:
        return cosine(self.vector(a), self.vector(b))

    def matrix(self, rows: Sequence[str], cols: Sequence[str]) -> list[list[float]]:
        col_vectors = [self.vector(c) for c in cols]
        return [[cosine(rv, cv) for cv in col_vectors] for rv in map(self.vector, rows)]

    def most_similar(
        self, text: str, candidates: Sequence[str], top: int = 5, threshold: float = 0.0
    ) -> list[tuple[int, float]]:
        vec = self.vector(text)
        scored = [(i, cosine(vec, self.vector(c))) for i, c in enumerate(candidates)]
        scored = [(i, s) for i, s in scored if s > threshold]
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored[:top]
