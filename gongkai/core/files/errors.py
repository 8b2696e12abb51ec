"""The one error of this package: a file refused, with a Chinese message naming the limit."""

from __future__ import annotations


class FileRefused(ValueError):
    """An uploaded file that is not read: too big, a bomb, not what its name says, or a parse
    that ran out of its memory or time. `str(exc)` is the Chinese message for the user."""
