from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="referral_list"),
    path("new/", views.referral_submit, name="referral_submit"),
    path("waiting-list/", views.waiting_list, name="waiting_list"),
    path("overrides/", views.overrides, name="overrides"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/step/<slug:name>/", views.step, name="step"),
    path("<int:pk>/interview/", views.referral_record_interview, name="referral_record_interview"),
    path(
        "<int:pk>/criteria/<int:criterion_pk>/",
        views.referral_record_outcome,
        name="referral_record_outcome",
    ),
    path("<int:pk>/accept/", views.referral_accept, name="referral_accept"),
    path("<int:pk>/decline/", views.referral_decline, name="referral_decline"),
    path("<int:pk>/defer/", views.referral_defer, name="referral_defer"),
    path("<int:pk>/admit/", views.referral_admit, name="referral_admit"),
    path("<int:pk>/restrict/", views.referral_restrict, name="referral_restrict"),
    path("<int:pk>/unrestrict/", views.referral_unrestrict, name="referral_unrestrict"),
    path("communities/<int:community_pk>/criteria/", views.criteria, name="criteria"),
    path("criteria/<int:pk>/<slug:change>/", views.criterion_change, name="criterion_change"),
]
