from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("new/", views.new, name="new"),
    path("communities/<int:community_pk>/new/", views.session_record, name="session_record"),
    path(
        "communities/<int:community_pk>/observations/new/",
        views.observation_record,
        name="observation_record",
    ),
    path("<int:pk>/actions/", views.action_add, name="action_add"),
    path("actions/<int:pk>/done/", views.action_complete, name="action_complete"),
    path("compliance/", views.compliance, name="compliance"),
    path("<str:kind>/<int:pk>/correct/", views.record_amend, name="record_amend"),
    path(
        "<str:kind>/<int:pk>/entered-in-error/",
        views.record_entered_in_error,
        name="record_entered_in_error",
    ),
    path("staff/<int:pk>/", views.record, name="record"),
    path("staff/<int:pk>/requirement/", views.requirement_set, name="requirement_set"),
    path("staff/<int:pk>/trainee-target/", views.trainee_target_set, name="trainee_target_set"),
]
