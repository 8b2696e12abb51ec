"""Request bodies limited before they are read: a request whose Content-Length passes
GONGKAI_MAX_BODY_BYTES is answered 413 with a Chinese page (JSON under /api/) before any
middleware or view touches request.POST or request.FILES. The proxy in front refuses the same
size first (nginx client_max_body_size, HAProxy http-request deny; docs/deployment.md)."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from .limits import megabytes

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>提交的内容过大</title></head>
<body><main><h1>提交的内容过大</h1>
<p>本次提交超过 {limit} 上限，服务器没有接收。请压缩或拆分文件后重新提交。</p>
<p><a href="javascript:history.back()">返回</a></p></main></body></html>
"""


def max_body_bytes() -> int:
    return int(getattr(settings, "GONGKAI_MAX_BODY_BYTES", 0) or 0)


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        limit = max_body_bytes()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit:
            message = f"本次提交超过 {megabytes(limit)} 上限，服务器没有接收。"
            if request.path.startswith("/api/"):
                return HttpResponse(
                    json.dumps({"detail": message}, ensure_ascii=False),
                    status=413,
                    content_type="application/json; charset=utf-8",
                )
            return HttpResponse(
                PAGE.format(limit=megabytes(limit)),
                status=413,
                content_type="text/html; charset=utf-8",
            )
        return self.get_response(request)
