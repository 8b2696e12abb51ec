"""The JSON API at /api/: one NinjaAPI; each app contributes `router` from gongkai/<app>/api.py.

Every error is JSON `{"detail": "中文说明"}`: a parameter that does not validate (422, naming the
parameter), a refused action (400/403), a missing object (404), a value beyond what the
database can hold (400); nothing the caller sends becomes a 500 or an HTML page.
"""

import logging

from django.db import DataError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from gongkai.catalog.api import router as catalog_router
from gongkai.core.actions import ActionError
from gongkai.core.input_errors import RANGE_MESSAGE
from gongkai.foi.api import router as foi_router
from gongkai.orgs.api import router as orgs_router
from gongkai.participation.api import router as participation_router
from gongkai.plans.api import router as plans_router
from gongkai.reports.api import router as reports_router

api = NinjaAPI(
    title="gongkai 政务公开平台 API",
    version="1",
    description="公开数据接口。所有接口只返回可公开的信息。",
    urls_namespace="api",
)

api.add_router("/orgs/", orgs_router)
api.add_router("/catalog/", catalog_router)
api.add_router("/foi/", foi_router)
api.add_router("/participation/", participation_router)
api.add_router("/plans/", plans_router)
api.add_router("/reports/", reports_router)


logger = logging.getLogger("gongkai.api")

_PLACES = {"query": "查询参数", "path": "路径参数", "body": "请求体", "form": "表单字段"}


def _where(loc) -> str:
    parts = [str(p) for p in loc]
    place = _PLACES.get(parts[0], "") if parts else ""
    names = [p for p in parts[1:] if p not in ("filters",)] or parts[1:]
    return f"{place}「{'.'.join(names)}」" if names else place or "请求"


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    places = "、".join(dict.fromkeys(_where(e.get("loc", ())) for e in exc.errors))
    return api.create_response(
        request, {"detail": f"请求参数有误：{places}的值无效或超出范围。"}, status=422
    )


@api.exception_handler(ActionError)
def _refused(request, exc: ActionError):
    return api.create_response(
        request, {"detail": exc.message}, status=403 if exc.forbidden else 400
    )


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    message = str(exc) if exc.args and str(exc) else "未找到。"
    return api.create_response(request, {"detail": message}, status=404)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(DataError)
@api.exception_handler(OverflowError)
def _out_of_range(request, exc):
    logger.info("api input out of range path=%s error=%s", request.path, exc)
    return api.create_response(request, {"detail": RANGE_MESSAGE}, status=400)
