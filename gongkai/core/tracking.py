"""Tracking codes and the contact check a citizen passes to follow up a submission (an
enquiry, a message; requests have their own in foi.access): a code that cannot be guessed plus
the phone number or e-mail address given with it. A browser session that passed the check may
see that submission from then on; anything else gets the same 404."""

from __future__ import annotations

import secrets

from django.http import HttpRequest

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
LENGTH = 12
SESSION_KEY = "tracked_submissions"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_code(text: str) -> str:
    return "".join((text or "").split()).upper()


def _digits(text: str) -> str:
    return "".join(c for c in text or "" if c.isdigit())


def contact_matches(given: str, *known: str) -> bool:
    """Whether `given` is one of the known contacts: a phone number compared by its digits
    (at least 7), an e-mail address case-insensitively."""
    given = (given or "").strip()
    if not given:
        return False
    digits = _digits(given)
    for contact in known:
        contact = (contact or "").strip()
        if not contact:
            continue
        if "@" in given and given.lower() == contact.lower():
            return True
        if len(digits) >= 7 and digits == _digits(contact):
            return True
    return False


def remember(request: HttpRequest, scope: str, code: str) -> None:
    tracked = request.session.get(SESSION_KEY, {})
    codes = set(tracked.get(scope, []))
    codes.add(code)
    tracked[scope] = sorted(codes)
    request.session[SESSION_KEY] = tracked


def remembered(request: HttpRequest, scope: str, code: str) -> bool:
    codes: list[str] = request.session.get(SESSION_KEY, {}).get(scope, [])
    return code in codes
