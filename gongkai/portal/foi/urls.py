from django.urls import path

from . import views

urlpatterns = [
    path("foi/", views.apply, name="foi_apply"),
    path("foi/submitted/", views.submitted, name="foi_submitted"),
    path("foi/track/", views.track, name="foi_track"),
    path("foi/track/<str:code>/", views.status, name="foi_status"),
    path("foi/track/<str:code>/correct/", views.correct, name="foi_correct"),
    path("foi/track/<str:code>/withdraw/", views.withdraw, name="foi_withdraw"),
    path("foi/track/<str:code>/letters/<int:letter_id>.<str:fmt>", views.letter, name="foi_letter"),
    path(
        "foi/track/<str:code>/attachments/<int:attachment_id>/",
        views.attachment,
        name="foi_attachment",
    ),
]
