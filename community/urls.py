from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("timetable/", views.timetable, name="timetable"),
    path("today/", views.today, name="today"),
    path("<int:community_pk>/timetable/", views.slot_list, name="slot_list"),
    path("<int:community_pk>/timetable/new/", views.slot_add, name="slot_add"),
    path("timetable/<int:pk>/change/", views.slot_change, name="slot_change"),
    path("timetable/<int:pk>/end/", views.slot_end, name="slot_end"),
    path("timetable/<int:pk>/<str:on>/held/", views.planned_hold, name="planned_hold"),
    path("timetable/<int:pk>/<str:on>/cancel/", views.planned_cancel, name="planned_cancel"),
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
