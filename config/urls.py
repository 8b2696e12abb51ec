from django.contrib import admin
from django.urls import include, path

from gongkai.api import api

# Staff pages of each domain app live in gongkai/<app>/urls.py (namespace <app>_staff),
# mounted under /manage/<app>/.
STAFF_APPS = ["orgs", "catalog", "foi", "participation", "plans", "reports"]

urlpatterns = [
    path("", include("gongkai.portal.urls")),
    path("accounts/", include("gongkai.accounts.urls")),
    path("manage/", include("gongkai.portal.staff_urls")),
    path("api/", api.urls),
    path("captcha/", include("captcha.urls")),
    path("django-admin/", admin.site.urls),
]
urlpatterns += [
    path(f"manage/{app}/", include((f"gongkai.{app}.urls", f"{app}_staff"))) for app in STAFF_APPS
]

handler403 = "gongkai.portal.errors.permission_denied"
handler404 = "gongkai.portal.errors.page_not_found"
handler500 = "gongkai.portal.errors.server_error"
