from django.urls import path

from . import views

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("<int:pk>/", views.plan_ledger, name="ledger"),
    path("<int:pk>/ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/circulars/", views.circular_list, name="circulars"),
    path("<int:pk>/commitments/", views.commitments, name="commitments"),
    path("<int:pk>/publication/", views.publication, name="publication"),
    path("<int:pk>/implementation/", views.implementation, name="implementation"),
    path("<int:pk>/scoring/", views.scoring_page, name="scoring"),
    path("<int:pk>/alignment/", views.alignment_page, name="alignment"),
    path("<int:pk>/look-back/", views.look_back, name="look_back"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("reports/<int:pk>/review/", views.report_review, name="review"),
    path("reports/<int:pk>/file/", views.file_download, name="report_file"),
    path("circulars/<int:pk>.docx", views.circular_download, name="circular_download"),
    path("circulars/<int:pk>/publish/", views.circular_publish, name="circular_publish"),
    path("reminders/<int:pk>/seen/", views.reminder_seen, name="reminder_seen"),
]
