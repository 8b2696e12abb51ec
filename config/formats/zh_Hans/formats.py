"""Input formats for Simplified Chinese. Django's own zh_Hans formats put 2026/12/07 first, which
is what a form renders into a field; `<input type="date">` accepts only ISO 2026-12-07 and drops
anything else, so pre-filled dates were lost. ISO comes first here; the other forms are still
accepted when typed."""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-07, what <input type="date"> sends and accepts
    "%Y/%m/%d",  # 2026/12/07 (and 2026/12/7)
    "%Y年%m月%d日",  # 2026年12月7日
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",  # what <input type="datetime-local"> sends and accepts
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
]
