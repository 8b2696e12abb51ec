"""Bad input is the sender's error (4xx with a Chinese message), never a server error.

- InputGuardMiddleware refuses, before any view runs, parameters the database cannot store:
  NUL characters (PostgreSQL text cannot hold them) in the path, the query string or
  url-encoded form fields.
- It also turns what the database says about a value out of its range (DataError: too long,
  numeric overflow; OverflowError: an integer beyond 64 bits on SQLite) into a 400 — the safety
  net behind the forms' and the API's own limits.

Pages under /api/ get JSON ({"detail": "…"}); the others the site's 400 page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DataError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.template import loader

logger = logging.getLogger("gongkai.input")

NUL_MESSAGE = "请求中含有不允许的控制字符（NUL），请删除后重试。"
RANGE_MESSAGE = "输入的内容超出允许的长度或数值范围，请检查后重试。"
API_PREFIX = "/api/"


def bad_request(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=status)
    body = loader.render_to_string("400.html", {"message": message}, request)
    return HttpResponseBadRequest(body)


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    # Multipart bodies are left to the forms (Django's CharField refuses NUL itself), so that
    # views can still choose their upload handlers before the body is read.
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        for key, values in request.POST.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                return True
    return False


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if _has_nul(request):
            return bad_request(request, NUL_MESSAGE)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, (DataError, OverflowError)):
            logger.info("input out of range path=%s error=%s", request.path, exception)
            return bad_request(request, RANGE_MESSAGE)
        return None
