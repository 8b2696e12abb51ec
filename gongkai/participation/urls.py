"""Staff pages, mounted at /manage/participation/ with namespace participation_staff."""

from django.urls import path

from gongkai.participation import views
from gongkai.participation.views import consultations as cv
from gongkai.participation.views import decisions as dv
from gongkai.participation.views import interaction as iv

urlpatterns = [
    path("", views.home, name="home"),
    # Consultations
    path("consultations/", cv.consultation_list, name="consultations"),
    path("consultations/new/", cv.consultation_new, name="consultation_new"),
    path("consultations/<int:pk>/", cv.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/edit/", cv.consultation_edit, name="consultation_edit"),
    path("consultations/<int:pk>/publish/", cv.consultation_publish, name="consultation_publish"),
    path("consultations/<int:pk>/extend/", cv.consultation_extend, name="consultation_extend"),
    path("consultations/<int:pk>/close/", cv.consultation_close, name="consultation_close"),
    path(
        "consultations/<int:pk>/withdraw/", cv.consultation_withdraw, name="consultation_withdraw"
    ),
    path("consultations/<int:pk>/comments/add/", cv.comment_add, name="comment_add"),
    path("consultations/<int:pk>/feedback/", cv.feedback_publish, name="feedback_publish"),
    path(
        "consultations/<int:pk>/comments.xlsx", cv.consultation_export, name="consultation_export"
    ),
    path("comments/<int:pk>/dispose/", cv.comment_dispose, name="comment_dispose"),
    path("comments/<int:pk>/moderate/", cv.comment_moderate, name="comment_moderate"),
    # Decision catalogue
    path("decisions/", dv.catalogue_list, name="catalogues"),
    path("decisions/catalogues/<int:pk>/", dv.catalogue_detail, name="catalogue"),
    path("decisions/catalogues/<int:pk>/publish/", dv.catalogue_publish, name="catalogue_publish"),
    path("decisions/<int:pk>/", dv.decision_detail, name="decision"),
    path("decisions/<int:pk>/adjust/", dv.decision_adjust, name="decision_adjust"),
    path("decisions/<int:pk>/result/", dv.decision_result, name="decision_result"),
    path("decisions/steps/<int:pk>/", dv.step_update, name="step_update"),
    # Hearings
    path("hearings/", dv.hearing_list, name="hearings"),
    path("hearings/new/", dv.hearing_new, name="hearing_new"),
    path("hearings/<int:pk>/", dv.hearing_detail, name="hearing"),
    path("hearings/<int:pk>/<slug:what>/", dv.hearing_action, name="hearing_action"),
    # Open days
    path("open-days/", iv.open_day_list, name="open_days"),
    path("open-days/new/", iv.open_day_new, name="open_day_new"),
    path("open-days/<int:pk>/", iv.open_day_detail, name="open_day"),
    path("open-days/<int:pk>/<slug:what>/", iv.open_day_action, name="open_day_action"),
    path("suggestions/<int:pk>/answer/", iv.suggestion_answer, name="suggestion_answer"),
    # Enquiries
    path("enquiries/", iv.enquiry_list, name="enquiries"),
    path("enquiries/<int:pk>/", iv.enquiry_detail, name="enquiry"),
    path("enquiries/<int:pk>/<slug:what>/", iv.enquiry_action, name="enquiry_action"),
    # Messages
    path("messages/", iv.message_list, name="messages"),
    path("messages/<int:pk>/", iv.message_detail, name="message"),
    path("messages/<int:pk>/<slug:what>/", iv.message_action, name="message_action"),
    # Proposals
    path("proposals/", iv.proposal_list, name="proposals"),
    path("proposals/new/", iv.proposal_new, name="proposal_new"),
    path("proposals/<int:pk>/", iv.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/<slug:what>/", iv.proposal_action, name="proposal_action"),
    # Concern responses
    path("concerns/", iv.concern_list, name="concerns"),
    path("concerns/new/", iv.concern_new, name="concern_new"),
    path("concerns/<int:pk>/", iv.concern_detail, name="concern"),
    path("concerns/<int:pk>/<slug:what>/", iv.concern_action, name="concern_action"),
    # Complaints about public institutions
    path("complaints/", iv.complaint_list, name="complaints"),
    path("complaints/new/", iv.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", iv.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/result/", iv.complaint_action, name="complaint_result"),
]
