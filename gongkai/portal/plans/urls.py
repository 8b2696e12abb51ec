"""Public pages of work plans (重点工作): names join the portal namespace."""

from django.urls import path

from gongkai.portal.plans import views

urlpatterns = [
    path("plans/", views.plan_list, name="plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plans_detail"),
]
