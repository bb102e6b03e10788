from django.urls import path

from .views import criteria, intake, overrides, workflow

app_name = "referrals"
urlpatterns = [
    path("", intake.referral_list, name="referral_list"),
    path("new/", intake.referral_submit, name="referral_submit"),
    path("waiting-list/", intake.waiting_list, name="waiting_list"),
    path("overrides/", overrides.overrides, name="overrides"),
    path(
        "overrides/<int:pk>/acknowledge/",
        overrides.override_acknowledge,
        name="override_acknowledge",
    ),
    path(
        "overrides/<int:pk>/review/",
        overrides.override_request_review,
        name="override_request_review",
    ),
    path("<int:pk>/", workflow.detail, name="detail"),
    path("<int:pk>/step/<slug:name>/", workflow.step, name="step"),
    path(
        "<int:pk>/interview/",
        workflow.referral_record_interview,
        name="referral_record_interview",
    ),
    path(
        "<int:pk>/criteria/<int:criterion_pk>/",
        workflow.referral_record_outcome,
        name="referral_record_outcome",
    ),
    path("<int:pk>/recommend/", workflow.referral_recommend, name="referral_recommend"),
    path("<int:pk>/accept/", workflow.referral_accept, name="referral_accept"),
    path("<int:pk>/decline/", workflow.referral_decline, name="referral_decline"),
    path("<int:pk>/defer/", workflow.referral_defer, name="referral_defer"),
    path("<int:pk>/admit/", workflow.referral_admit, name="referral_admit"),
    path("<int:pk>/restrict/", workflow.referral_restrict, name="referral_restrict"),
    path("<int:pk>/unrestrict/", workflow.referral_unrestrict, name="referral_unrestrict"),
    path("communities/<int:community_pk>/criteria/", criteria.criteria, name="criteria"),
    path("criteria/<int:pk>/<slug:change>/", criteria.criterion_change, name="criterion_change"),
    path("<str:kind>/<int:pk>/correct/", workflow.record_amend, name="record_amend"),
    path(
        "<str:kind>/<int:pk>/entered-in-error/",
        workflow.record_entered_in_error,
        name="record_entered_in_error",
    ),
]
