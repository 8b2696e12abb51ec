"""The JSON API at /api/: one NinjaAPI; each app contributes `router` from gongkai/<app>/api.py."""

from importlib import import_module
from importlib.util import find_spec

from ninja import NinjaAPI

api = NinjaAPI(
    title="gongkai 政务公开平台 API",
    version="1",
    description="公开数据接口。所有接口只返回可公开的信息。",
    urls_namespace="api",
)

# (app, mount point) — an app's router is added once its api.py exists.
ROUTERS = [
    ("orgs", "/orgs/"),
    ("catalog", "/catalog/"),
    ("foi", "/foi/"),
    ("participation", "/participation/"),
    ("plans", "/plans/"),
    ("reports", "/reports/"),
]
for _app, _prefix in ROUTERS:
    if find_spec(f"gongkai.{_app}.api") is not None:
        api.add_router(_prefix, import_module(f"gongkai.{_app}.api").router)
