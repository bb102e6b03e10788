from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("staff-meetings/", views.staff_meeting_list, name="staff_meeting_list"),
    path("staff-meetings/new/", views.staff_meeting_new, name="staff_meeting_new"),
    path(
        "<int:community_pk>/staff-meetings/new/",
        views.staff_meeting_record,
        name="staff_meeting_record",
    ),
    path("staff-meetings/<int:pk>/", views.staff_meeting_detail, name="staff_meeting_detail"),
    path(
        "staff-meetings/<int:pk>/residents/",
        views.staff_meeting_discussion_add,
        name="staff_meeting_discussion_add",
    ),
    path(
        "staff-meetings/<int:pk>/actions/",
        views.staff_meeting_action_add,
        name="staff_meeting_action_add",
    ),
    path(
        "staff-meetings/actions/<int:pk>/done/",
        views.staff_meeting_action_complete,
        name="staff_meeting_action_complete",
    ),
    # Corrections of any recorded entry of community life, by its kind (staff-meeting).
    path("<str:kind>/<int:pk>/correct/", views.record_amend, name="record_amend"),
    path(
        "<str:kind>/<int:pk>/entered-in-error/",
        views.record_entered_in_error,
        name="record_entered_in_error",
    ),
]
