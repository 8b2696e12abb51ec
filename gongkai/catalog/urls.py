from django.urls import path

from gongkai.catalog import views

urlpatterns = [
    path("", views.record_list, name="records"),
    path("new/", views.record_new, name="record_new"),
    path("overdue/", views.overdue, name="overdue"),
    path("library/", views.library, name="library"),
    path("library/cleanups/<int:pk>/", views.cleanup_detail, name="cleanup"),
    path("import/", views.import_records, name="import"),
    path("<int:pk>/", views.record_detail, name="record"),
    path("<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("<int:pk>/do/<slug:name>/", views.record_action, name="record_action"),
    path(
        "interpretations/<int:pk>/publish/",
        views.interpretation_publish,
        name="interpretation_publish",
    ),
]
