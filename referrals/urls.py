from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.new, name="new"),
    path("waiting-list/", views.waiting_list, name="waiting_list"),
    path("overrides/", views.overrides, name="overrides"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/step/<slug:name>/", views.step, name="step"),
    path("<int:pk>/interview/", views.interview, name="interview"),
    path("<int:pk>/criteria/<int:criterion_pk>/", views.outcome, name="outcome"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/defer/", views.defer, name="defer"),
    path("<int:pk>/admit/", views.admit, name="admit"),
    path("<int:pk>/restrict/", views.restrict, name="restrict"),
    path("<int:pk>/unrestrict/", views.unrestrict, name="unrestrict"),
    path("communities/<int:community_pk>/criteria/", views.criteria, name="criteria"),
    path("criteria/<int:pk>/<slug:change>/", views.criterion_change, name="criterion_change"),
]
