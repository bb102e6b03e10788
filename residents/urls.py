from django.urls import path

from . import views

app_name = "residents"

urlpatterns = [
    path("", views.resident_list, name="resident_list"),
    path("caseload/", views.caseload, name="caseload"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/timeline/", views.timeline, name="timeline"),
    path("<int:pk>/access-log/", views.access_log, name="access_log"),
    path("<int:pk>/allocate/", views.resident_allocate, name="resident_allocate"),
    path("<int:pk>/phase/", views.resident_phase_change, name="resident_phase_change"),
    path("<int:pk>/restrict/", views.resident_restrict, name="resident_restrict"),
    path("<int:pk>/unrestrict/", views.resident_unrestrict, name="resident_unrestrict"),
    path("<int:pk>/leave/", views.resident_leave, name="resident_leave"),
    path("<int:pk>/decisions/new/", views.decision_record, name="decision_record"),
    path("<int:pk>/reviews/new/", views.review_complete, name="review_complete"),
    path("<int:pk>/votes/new/", views.vote_record, name="vote_record"),
    path("<int:pk>/incidents/new/", views.incident_record, name="incident_record"),
    path("<int:pk>/risk/new/", views.risk_assess, name="risk_assess"),
    path("<int:pk>/acct/open/", views.acct_open, name="acct_open"),
    path("<int:pk>/acct/close/", views.acct_close, name="acct_close"),
    path("<int:pk>/plans/new/", views.plan_start, name="plan_start"),
    path("<int:pk>/plans/compare/", views.plan_compare, name="plan_compare"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/change/", views.plan_change, name="plan_change"),
    path("plans/<int:pk>/goals/new/", views.goal_add, name="goal_add"),
    path("goals/<int:pk>/change/", views.plan_goal_change, name="plan_goal_change"),
    path("goals/<int:pk>/remove/", views.plan_goal_remove, name="plan_goal_remove"),
    path("plans/<int:pk>/sign-off/", views.plan_sign_off, name="plan_sign_off"),
    path("groups/", views.session_list, name="session_list"),
    path("groups/communities/<int:community_pk>/new/", views.session_record, name="session_record"),
    path("groups/<int:pk>/register/", views.attendance_record, name="attendance_record"),
    path("groups/registers-not-taken/", views.registers_not_taken, name="registers_not_taken"),
    path("groups/marks/<int:pk>/correct/", views.attendance_correct, name="attendance_correct"),
    path("<int:pk>/documents/new/", views.document_draft, name="document_draft"),
    path("documents/overdue/", views.documents_overdue, name="documents_overdue"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/change/", views.document_change, name="document_change"),
    path("documents/<int:pk>/submit/", views.document_submit, name="document_submit"),
    path(
        "documents/<int:pk>/countersign/", views.document_countersign, name="document_countersign"
    ),
    path("documents/<int:pk>/sign-off/", views.document_sign_off, name="document_sign_off"),
    path("documents/<int:pk>/return/", views.document_return, name="document_return"),
    path("documents/<int:pk>/amend/", views.document_amend, name="document_amend"),
    path("<str:kind>/<int:pk>/correct/", views.record_amend, name="record_amend"),
    path(
        "<str:kind>/<int:pk>/entered-in-error/",
        views.record_entered_in_error,
        name="record_entered_in_error",
    ),
]
