from django.urls import path

from gongkai.catalog import structure_views, views

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
    path("structure/", structure_views.structure_home, name="structure"),
    path("structure/<int:org_id>/columns/new/", structure_views.column_new, name="column_new"),
    path("structure/columns/<int:pk>/edit/", structure_views.column_edit, name="column_edit"),
    path("structure/columns/<int:pk>/active/", structure_views.column_active, name="column_active"),
    path(
        "structure/<int:org_id>/catalogue/new/",
        structure_views.catalogue_new,
        name="catalogue_new",
    ),
    path(
        "structure/catalogue/<int:pk>/edit/",
        structure_views.catalogue_edit,
        name="catalogue_edit",
    ),
    path(
        "structure/catalogue/<int:pk>/delete/",
        structure_views.catalogue_delete,
        name="catalogue_delete",
    ),
    path(
        "interpretations/<int:pk>/publish/",
        views.interpretation_publish,
        name="interpretation_publish",
    ),
    path(
        "interpretations/<int:pk>/withdraw/",
        views.interpretation_withdraw,
        name="interpretation_withdraw",
    ),
]
