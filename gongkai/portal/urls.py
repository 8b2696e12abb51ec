from importlib.util import find_spec

from django.urls import include, path

from gongkai.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/", views.organisations, name="organisations"),
]

# Public pages of each domain live in gongkai/portal/<area>/urls.py (no app_name: their URL
# names join the "portal" namespace). An area is mounted once it exists.
for _area in ["catalog", "foi", "participation", "plans", "reports"]:
    if find_spec(f"gongkai.portal.{_area}.urls") is not None:
        urlpatterns.append(path("", include(f"gongkai.portal.{_area}.urls")))
