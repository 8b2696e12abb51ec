"""Where the public site shows a catalogue object, for links from the staff pages.

The catalogue does not know the portal's routes (the portal sits above it). The portal
registers one URL builder per kind when it starts (``portal.apps.PortalConfig.ready``); without
a portal (a deployment or a test that leaves it out) there is simply no link.
"""

from __future__ import annotations

from collections.abc import Callable

RECORD = "record"
ORGANISATION = "organisation"
GUIDE = "guide"

_builders: dict[str, Callable[[int], str]] = {}


def register(kind: str, builder: Callable[[int], str]) -> None:
    _builders[kind] = builder


def public_url(kind: str, pk: int) -> str | None:
    builder = _builders.get(kind)
    return builder(pk) if builder is not None else None
