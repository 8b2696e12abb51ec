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
- ``simplify(text) -> str`` — traditional characters to simplified (OpenCC ``hk2s``: t2s plus Hong Kong
  variant characters such as 衞 and 綫), after a
  small table of Hong Kong / Taiwan spellings that are other words, not other characters
  (資訊 → 信息). Applied to indexed text and to queries alike.
- ``query_parts(query) -> QueryParts`` — THE query normalisation: simplified, folded, split
  at every separator (spaces of any width, 、，；：。！？ · / | …), document numbers rewritten by
  their parts (issuer, year, serial: 济政办字2021118号, 济政办字（2021）第118号 and
  济政办字〔2021〕118号 are one query; 济政办字第118号 without its year is the issuer and the
  serial, newest first).
- ``pinyin(text) -> list[str]`` — toneless pinyin syllables (homophones for suggestions).
- ``segment(text) -> list[str]`` — words (rjieba with the government dictionary), punctuation and
  spaces dropped.
- ``search_words(text) -> list[str]`` — the finer "search mode" segmentation (rjieba
  ``cut_for_search``): long words also yield their sub-words (人民政府 → 人民, 政府, 人民政府).
- ``char_stream(text) -> list[str]`` — the character-bigram token stream used by full-text
  search: every run of Chinese characters, and every run of digits, gives its overlapping
  bigrams followed by its last character (so a query may start inside a number: 234号 finds
  1234号); every run of ASCII letters gives one lower-case token. Text is simplified first. Any substring of the
  text maps to a consecutive sub-sequence of this stream (see ``query_stream``), which is how
  search never misses a record that contains the query string.
- ``query_stream(text) -> list[tuple[str, bool]]`` — the tokens (token, is_prefix) that must
  appear consecutively in ``char_stream`` of any text containing ``text``.
- ``index_text(text) -> str`` — the text as the search index stores it: the runs of
  ``char_stream`` (simplified, folded) joined by single spaces; ``index_terms(stored)`` — its
  distinct tokens (those of ``char_stream`` plus "#" + each suffix of a run of digits), built
  by whole-string operations; ``query_terms(term)`` — a query term's needle (its stored
  form, found in the stored text of every matching record), tokens and prefix tokens.
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
from dataclasses import dataclass

import opencc
import pypinyin
import rjieba

__all__ = [
    "GOVERNMENT_WORDS",
    "STOP_WORDS",
    "QueryParts",
    "Vectorizer",
    "add_words",
    "char_stream",
    "cosine",
    "excerpt",
    "features",
    "find_spans",
    "fold",
    "index_terms",
    "index_text",
    "is_cjk",
    "is_plain_word",
    "normalize",
    "normalize_doc_no",
    "parse_doc_no",
    "pinyin",
    "query_parts",
    "query_stream",
    "query_terms",
    "search_words",
    "segment",
    "similarity",
    "simplify",
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


def book_title(title: str) -> str:
    """The title in 书名号 《…》, unless it already begins with one (「《某规划》（征求意见稿）」
    stays as it is rather than becoming 「《《某规划》（征求意见稿）》」)."""
    title = (title or "").strip()
    return title if title.startswith("《") else f"《{title}》"


def normalize_doc_no(doc_no: str) -> str:
    """济政办字[2021]18号, 济政办字（2021）18号 … → 济政办字〔2021〕18号."""
    return _SPACES.sub("", fold(doc_no or ""))


_DOC_NO_YEAR = re.compile(r"〔((?:19|20)\d{2})〕")


def doc_no_year(doc_no: str) -> int | None:
    """The year in a 文号's brackets: 济政办字[2021]18号 → 2021; None without one."""
    m = _DOC_NO_YEAR.search(normalize_doc_no(doc_no))
    return int(m.group(1)) if m else None


# --- Traditional characters ------------------------------------------------------------------

# Hong Kong / Taiwan spellings that are other words, not other characters: OpenCC's t2s keeps
# them (資訊 → 资讯), and a simplified-to-traditional round trip never produces them.
REGIONAL_WORDS = {
    "資訊": "信息",
    "資料庫": "数据库",
    "網路": "网络",
    "網際網路": "互联网",
    "軟體": "软件",
    "硬體": "硬件",
    "程式": "程序",
    "伺服器": "服务器",
    "行動電話": "手机",
    "簡訊": "短信",
    "身分證": "身份证",
    "計程車": "出租车",
    "警察局": "公安局",
}
_REGIONAL = re.compile("|".join(sorted(map(re.escape, REGIONAL_WORDS), key=len, reverse=True)))
_t2s = threading.local()


def _converter() -> opencc.OpenCC:
    converter = getattr(_t2s, "converter", None)
    if converter is None:
        converter = _t2s.converter = opencc.OpenCC("hk2s")
    return converter


def simplify(text: str) -> str:
    """Traditional characters (and the regional spellings above) to simplified."""
    if not text or text.isascii():
        return text or ""
    text = _REGIONAL.sub(lambda m: REGIONAL_WORDS[m.group(0)], text)
    simplified: str = _converter().convert(text)
    return simplified


def pinyin(text: str) -> list[str]:
    """The pinyin syllables of text without tones (营商环境 → ying shang huan jing): words
    that sound alike have the same syllables."""
    return pypinyin.lazy_pinyin(text, errors="ignore")


# --- Queries ------------------------------------------------------------------------------------

# Every Chinese and ASCII separator breaks a query into terms (brackets do not: they belong to
# document numbers, and are not tokens anyway).
_SEPARATORS = re.compile(
    r"[\s、，,；;：:。．！!？?·•・/／|｜\\~～…—\-＝=+＋&＆\"'“”‘’《》<>「」『』]+"
)
_DOC_NO_QUERY = re.compile(
    r"^(?P<issuer>[\u4e00-\u9fff]{2,12}?)"
    r"(?:〔(?P<y1>(?:19|20)\d{2})〕|(?P<y2>(?:19|20)\d{2})(?:年|(?=第?\d)))?"
    r"第?(?P<serial>\d{1,6})号$"
)


@dataclass(frozen=True)
class DocNo:
    issuer: str
    year: int | None
    serial: int


def parse_doc_no(part: str) -> DocNo | None:
    """The parts of a document number typed as one query term (after folding and
    simplifying): 济政办字〔2021〕118号, 济政办字2021118号, 济政办字2021年118号,
    济政办字第118号 (no year) …; None when the term is not a document number."""
    m = _DOC_NO_QUERY.match(part)
    if not m:
        return None
    year = m.group("y1") or m.group("y2")
    return DocNo(m.group("issuer"), int(year) if year else None, int(m.group("serial")))


@dataclass(frozen=True)
class QueryParts:
    """A query as terms to match (every term must be in a record); ``by_date``: the query
    names document numbers without their year, whose records come newest first."""

    terms: tuple[str, ...]
    by_date: bool = False


def query_parts(query: str) -> QueryParts:
    """THE normalisation of a search query (see the module docstring)."""
    folded = _SPACES.sub(" ", fold(simplify(query or ""))).strip()
    terms: list[str] = []
    by_date = False
    for part in _SEPARATORS.split(folded):
        if not part:
            continue
        number = parse_doc_no(part)
        if number is None:
            terms.append(part)
        elif number.year is not None:
            terms.append(f"{number.issuer}〔{number.year}〕{number.serial}号")
        else:
            terms += [number.issuer, f"{number.serial}号"]
            by_date = True
    return QueryParts(tuple(dict.fromkeys(terms)), by_date)


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
WORD_CHARS = _WORD_CHARS  # a regular expression character class body
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
    return [w for w in rjieba.cut_for_search(normalize(simplify(text))) if _keep(w)]


def search_words_normalized(text: str) -> list[str]:
    """`search_words` of text already simplified and folded (`index_text`), unfiltered."""
    _ensure_dictionary()
    words: list[str] = rjieba.cut_for_search(text)
    return words


# --- Character bigrams --------------------------------------------------------------------------

_RUNS = re.compile(
    r"[a-z][0-9a-z]*|[0-9]+|[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+"
)


def _runs(text: str) -> list[tuple[str, int, int]]:
    """(run, start, end) of the runs of word characters in folded text."""
    return [(m.group(0), m.start(), m.end()) for m in _RUNS.finditer(fold(text))]


def _cjk_run_tokens(run: str) -> list[str]:
    tokens = [run[i : i + 2] for i in range(len(run) - 1)]
    tokens.append(run[-1])
    return tokens


def _is_word_run(run: str) -> bool:
    """ASCII letters: one token per run (digits and Chinese give bigrams)."""
    return run[0].isascii() and not run[0].isdigit()


def char_stream(text: str) -> list[str]:
    """The bigram token stream of text (see the module docstring). No Python loop per
    character: the runs come from one regular expression, a run's bigrams from map()."""
    tokens: list[str] = []
    extend, append, pair = tokens.extend, tokens.append, str.__add__
    for run in _RUNS.findall(fold(simplify(text))):
        if run[0] in _LETTERS:
            append(run)
        else:
            extend(map(pair, run, run[1:]))
            append(run[-1])
    return tokens


_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_DIGITS = frozenset("0123456789")
# A run of digits also gives "#" + each of its last SUFFIX_DIGITS suffixes (see index_terms).
SUFFIX_DIGITS = 12


def index_text(text: str) -> str:
    """The text as the search index stores it: the runs of word characters of the simplified,
    folded text (see `char_stream`), joined by single spaces. A query term, reduced the same
    way, occurs in it exactly where its token phrase occurs in `char_stream` of the text."""
    simplified = simplify(text or "")
    if _FOLDS_RUNS.search(simplified):  # else folding changes no character of any run
        simplified = simplified.translate(_FOLD_TABLE)
    return " ".join(_RUNS.findall(simplified))


# Every pair of adjacent characters of stored text within a run (overlapping: a lookahead).
_PAIRS = re.compile("(?=([^ ][^ ]))")
# The characters whose folding changes a run (punctuation and brackets are not in runs).
_FOLDS_RUNS = re.compile("[A-Z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def index_terms(stored: str) -> set[str]:
    """The distinct index tokens of stored text (`index_text`): the tokens of `char_stream`
    (bigrams and the last character of each Chinese or digit run, ASCII words whole) and,
    for each run of digits, "#" + each of its suffixes of up to SUFFIX_DIGITS digits (a
    number inside a query, as in 济政办字〔2020〕1234号, is then one token: a run ending in
    it). Built from whole-string operations, not per character in Python."""
    if not stored:
        return set()
    runs = set(stored.split(" "))  # a repeated run gives nothing new
    out = set(_PAIRS.findall(" ".join(runs)))  # one C call for every bigram
    out.update({r[-1] for r in runs})
    out.update(r for r in runs if r[0] in _LETTERS)
    out.update(
        "#" + r[i:]
        for r in runs
        if r[0] in _DIGITS
        for i in range(max(0, len(r) - SUFFIX_DIGITS), len(r))
    )
    return out


def query_terms(term: str) -> tuple[str, list[str], list[str]]:
    """(needle, tokens, prefix tokens) of one query term (`query_parts`): `needle` is the
    term as stored text (`index_text`), which every stored text matching the term contains;
    every such text has all `tokens` among its `index_terms` and, for each prefix token, a
    token starting with it. A run of digits followed by another run is a "#" suffix token;
    the last run may end inside a longer run of the text, the first may start inside one."""
    runs = _RUNS.findall(fold(simplify(term or "")))
    tokens: list[str] = []
    prefixes: list[str] = []
    for i, run in enumerate(runs):
        last = i == len(runs) - 1
        if run[0] in _LETTERS or len(run) == 1:
            (prefixes if last else tokens).append(run)
        elif run[0] in _DIGITS and not last and len(run) <= SUFFIX_DIGITS:
            tokens.append("#" + run)
        else:
            tokens.extend(map(str.__add__, run, run[1:]))
            if not last:
                tokens.append(run[-1])
    return " ".join(runs), list(dict.fromkeys(tokens)), prefixes


def query_stream(text: str) -> list[tuple[str, bool]]:
    """The consecutive tokens (token, is_prefix) that char_stream of any text containing
    `text` has. The first run of the query may start inside a longer run of the document and the
    last run may end inside one, so the last Chinese run does not emit its closing single
    character, and a last single character or ASCII word is a prefix token. ASCII words are
    matched from their start; numbers, like Chinese, from anywhere."""
    runs = _runs(simplify(text))
    out: list[tuple[str, bool]] = []
    for i, (run, _, _) in enumerate(runs):
        last = i == len(runs) - 1
        if _is_word_run(run):
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
    return list(query_parts(query).terms)


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
