from django.urls import path

from . import views

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.register, name="register"),
    path("import/", views.import_ledger, name="import"),
    path("groups/", views.groups, name="groups"),
    path("templates/", views.letter_templates, name="templates"),
    path("templates/<slug:key>/", views.letter_templates, name="template_edit"),
    path("reminders/<int:reminder_id>/seen/", views.reminder_seen, name="reminder_seen"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/do/<slug:name>/", views.request_action, name="action"),
    path("<int:pk>/letters/<int:letter_id>.<str:fmt>", views.letter_download, name="letter"),
    path("<int:pk>/id-proof/", views.id_proof, name="id_proof"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_file, name="attachment"),
    path(
        "<int:pk>/corrections/<int:correction_id>/", views.correction_file, name="correction_file"
    ),
]
