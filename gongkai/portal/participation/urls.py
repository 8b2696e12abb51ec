"""Public participation pages; names join the portal namespace."""

from django.urls import path

from gongkai.portal.participation import views

urlpatterns = [
    path("participation/", views.home, name="participation"),
    path("participation/decisions/", views.decisions, name="participation_decisions"),
    path("participation/decisions/<int:pk>/", views.decision_detail, name="participation_decision"),
    path("participation/consultations/", views.consultations, name="participation_consultations"),
    path(
        "participation/consultations/<int:pk>/",
        views.consultation_detail,
        name="participation_consultation",
    ),
    path(
        "participation/consultations/<int:pk>/files/<slug:which>/",
        views.consultation_file,
        name="participation_consultation_file",
    ),
    path("participation/hearings/", views.hearings, name="participation_hearings"),
    path("participation/complaints/new/", views.complaint_new, name="participation_complaint_new"),
    path("participation/hearings/<int:pk>/", views.hearing_detail, name="participation_hearing"),
    path("participation/open-days/", views.open_days, name="participation_open_days"),
    path("participation/open-days/<int:pk>/", views.open_day_detail, name="participation_open_day"),
    path("participation/enquiries/", views.enquiries, name="participation_enquiries"),
    path("participation/follow-up/", views.follow_up, name="participation_follow_up"),
    path(
        "participation/follow-up/<str:code>/",
        views.follow_up_status,
        name="participation_follow_up_status",
    ),
    path("participation/enquiries/ask/", views.enquiry_ask, name="participation_enquiry_ask"),
    path("participation/enquiries/<int:pk>/", views.enquiry_detail, name="participation_enquiry"),
    path("participation/proposals/", views.proposals, name="participation_proposals"),
    path("participation/proposals/<int:pk>/", views.proposal_detail, name="participation_proposal"),
    path("participation/messages/", views.messages_list, name="participation_messages"),
    path("participation/messages/write/", views.message_write, name="participation_message_write"),
    path("participation/messages/<int:pk>/", views.message_detail, name="participation_message"),
]
