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
    # Community meetings
    path("meetings/", views.community_meeting_list, name="community_meeting_list"),
    path(
        "meetings/sessions/<int:session_pk>/start/",
        views.community_meeting_start,
        name="community_meeting_start",
    ),
    path("meetings/<int:pk>/", views.community_meeting_detail, name="community_meeting_detail"),
    path("meetings/<int:pk>/items/new/", views.agenda_item_add, name="agenda_item_add"),
    # Motions
    path("motions/", views.motion_list, name="motion_list"),
    path("motions/new/", views.motion_new, name="motion_new"),
    path("<int:community_pk>/motions/new/", views.motion_record, name="motion_record"),
    path("motions/<int:pk>/", views.motion_detail, name="motion_detail"),
    path("motions/<int:pk>/ratify/", views.motion_ratify, name="motion_ratify"),
    path("motions/<int:pk>/set-aside/", views.motion_set_aside, name="motion_set_aside"),
    # Corrections of any recorded entry of community life, by its kind (staff-meeting,
    # motion, agenda-item).
    path("<str:kind>/<int:pk>/correct/", views.record_amend, name="record_amend"),
    path(
        "<str:kind>/<int:pk>/entered-in-error/",
        views.record_entered_in_error,
        name="record_entered_in_error",
    ),
    # The constitution
    path(
        "<int:community_pk>/constitution/",
        views.constitution_in_force,
        name="constitution_in_force",
    ),
    path(
        "<int:community_pk>/constitution/amend/",
        views.constitution_amend,
        name="constitution_amend",
    ),
    path(
        "<int:community_pk>/constitution/agreements/",
        views.constitution_agreements,
        name="constitution_agreements",
    ),
    path(
        "<int:community_pk>/constitution/incidents/",
        views.constitution_incidents,
        name="constitution_incidents",
    ),
    path("constitution/<int:pk>/", views.constitution_version, name="constitution_version"),
    path(
        "constitution/<int:pk>/compare/",
        views.constitution_compare,
        name="constitution_compare",
    ),
    path(
        "constitution/residents/<int:pk>/agree/",
        views.constitution_agreement_record,
        name="constitution_agreement_record",
    ),
    path(
        "constitution/agreements/<int:pk>/entered-in-error/",
        views.constitution_agreement_entered_in_error,
        name="constitution_agreement_entered_in_error",
    ),
    path(
        "constitution/incidents/<int:pk>/clauses/",
        views.constitution_incident_clauses,
        name="constitution_incident_clauses",
    ),
    # Community jobs
    path("<int:community_pk>/jobs/", views.job_list, name="job_list"),
    path("<int:community_pk>/jobs/new/", views.job_add, name="job_add"),
    path("jobs/<int:pk>/change/", views.job_change, name="job_change"),
    path("jobs/<int:pk>/holders/new/", views.job_holding_start, name="job_holding_start"),
    path("jobs/holdings/<int:pk>/end/", views.job_holding_end, name="job_holding_end"),
    path(
        "jobs/holdings/<int:pk>/entered-in-error/",
        views.job_holding_entered_in_error,
        name="job_holding_entered_in_error",
    ),
]
