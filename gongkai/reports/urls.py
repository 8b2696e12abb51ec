from django.urls import path

from gongkai.reports import views

urlpatterns = [
    path("", views.home, name="home"),
    path("stats/", views.dashboard, name="dashboard"),
    path("stats/<slug:key>.csv", views.chart_csv, name="chart_csv"),
    path("selfcheck/<int:org_id>/", views.self_check, name="selfcheck"),
    path("cases/", views.cases, name="cases"),
    path("<int:org_id>/earlier/", views.import_earlier, name="import_earlier"),
    path("<int:org_id>/<int:year>/", views.report, name="report"),
    path("<int:org_id>/<int:year>/do/<slug:name>/", views.report_action, name="action"),
    path("<int:org_id>/<int:year>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:org_id>/<int:year>/export/<slug:fmt>/", views.export, name="export"),
]
