from django.urls import path

from gongkai.portal.reports import views

urlpatterns = [
    path("annual-reports/", views.annual_reports, name="annual_reports"),
    path("annual-reports/<int:pk>/", views.annual_report, name="annual_report"),
]
