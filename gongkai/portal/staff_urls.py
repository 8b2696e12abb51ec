from django.urls import path

from gongkai.portal import staff_views

app_name = "staff"
urlpatterns = [
    path("", staff_views.home, name="home"),
    path("organisations/", staff_views.organisations, name="organisations"),
    path("audit/", staff_views.audit_log, name="audit"),
    path("calendar/", staff_views.calendar_page, name="calendar"),
    path("tasks/", staff_views.task_failures, name="tasks"),
]
