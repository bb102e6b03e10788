from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
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
