"""Middleware of the kernel."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.template import loader

from gongkai.core.actions import ActionError


class ActionErrorMiddleware:
    """An ``ActionError`` that a view let through: 403 when forbidden, else a 400 page that
    shows the action's Chinese message. Views normally call actions through
    ``gongkai.core.views.run_action``; this is the safety net, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponseBase | None:
        if not isinstance(exception, ActionError):
            return None
        if exception.forbidden:
            raise PermissionDenied(exception.message) from exception
        body = loader.render_to_string("400.html", {"message": exception.message}, request)
        return HttpResponseBadRequest(body)
