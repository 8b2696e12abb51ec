from importlib.util import find_spec

from django.contrib import admin
from django.urls import include, path

from gongkai.api import api

# Staff pages of each domain app live in gongkai/<app>/urls.py (namespace <app>_staff) and are
# mounted under /manage/<app>/ once the app has them.
STAFF_APPS = ["catalog", "foi", "participation", "plans", "reports"]

urlpatterns = [
    path("", include("gongkai.portal.urls")),
    path("accounts/", include("gongkai.accounts.urls")),
    path("manage/", include("gongkai.portal.staff_urls")),
    path("api/", api.urls),
    path("captcha/", include("captcha.urls")),
    path("django-admin/", admin.site.urls),
]
for _app in STAFF_APPS:
    if find_spec(f"gongkai.{_app}.urls") is not None:
        urlpatterns.append(
            path(f"manage/{_app}/", include((f"gongkai.{_app}.urls", f"{_app}_staff")))
        )

handler403 = "gongkai.portal.errors.permission_denied"
handler404 = "gongkai.portal.errors.page_not_found"
handler500 = "gongkai.portal.errors.server_error"
