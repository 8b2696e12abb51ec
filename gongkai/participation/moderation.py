"""The sensitive-word check for public submissions (comments, enquiries, messages).

A hit never rejects a submission by itself: it holds the submission for a person to review
(moderation `pending`), so a citizen quoting an insult to complain about it is not silenced.

The list is deliberately small and covers three groups a government portal must keep off its
pages: abuse, illegal advertising and fraud bait, and links (spam carriers). Deployments extend
it with the setting GONGKAI_SENSITIVE_WORDS (a list of extra words). Matching ignores case,
full-width/half-width differences (NFKC), and spaces or punctuation inserted between
characters (「代 开·发 票」 still matches 代开发票).
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings

# Abuse and insults.
ABUSE = ["傻逼", "傻b", "sb", "他妈的", "去死", "狗官", "贱人", "王八蛋", "滚蛋"]
# Illegal advertising and fraud bait.
ADVERTISING = [
    "代开发票",
    "办证",
    "刷单",
    "兼职日结",
    "贷款秒批",
    "网络赌博",
    "博彩",
    "六合彩",
    "私服",
    "裸聊",
    "枪支",
    "代孕",
]
SENSITIVE_WORDS = ABUSE + ADVERTISING

_LINK = re.compile(r"(https?://|www\.)", re.IGNORECASE)
# Everything that is not a letter, digit or CJK character is ignored while matching.
_NOISE = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or "").lower())


def _words() -> list[str]:
    extra = getattr(settings, "GONGKAI_SENSITIVE_WORDS", None) or []
    return [normalise(w) for w in [*SENSITIVE_WORDS, *extra] if normalise(w)]


def check(text: str) -> list[str]:
    """The sensitive words found in text (sorted, without duplicates); 「链接」 for a URL."""
    hits = set()
    flat = normalise(text)
    folded = unicodedata.normalize("NFKC", text or "").lower()
    for word in _words():
        if len(word) <= 2 and word.isascii():
            # Short Latin abbreviations only count as whole words, not inside others.
            if re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", folded):
                hits.add(word)
        elif word in flat:
            hits.add(word)
    if _LINK.search(folded):
        hits.add("链接")
    return sorted(hits)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Submitted text as stored: control characters removed, line ends unified, trimmed. Markup
    is kept as typed and shown escaped everywhere (it is text, never HTML)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()
