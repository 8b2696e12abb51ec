from django.urls import path

from . import views

urlpatterns = [
    path("", views.org_list, name="list"),
    path("new/", views.org_new, name="new"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("<int:pk>/", views.org_detail, name="detail"),
    path("<int:pk>/do/<slug:name>/", views.org_action, name="action"),
]
