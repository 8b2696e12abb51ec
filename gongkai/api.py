"""The JSON API at /api/: one NinjaAPI; each app contributes `router` from gongkai/<app>/api.py."""

from ninja import NinjaAPI

from gongkai.catalog.api import router as catalog_router
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
