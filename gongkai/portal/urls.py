from django.urls import include, path

from gongkai.portal import views

app_name = "portal"
# Public pages of each domain live in gongkai/portal/<area>/urls.py (no app_name: their URL
# names join the "portal" namespace).
urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/", views.organisations, name="organisations"),
    path("", include("gongkai.portal.catalog.urls")),
    path("", include("gongkai.portal.foi.urls")),
    path("", include("gongkai.portal.participation.urls")),
    path("", include("gongkai.portal.plans.urls")),
    path("", include("gongkai.portal.reports.urls")),
]
