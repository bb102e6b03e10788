from django.urls import path

from .views import case_studies, cycles

app_name = "audit"
urlpatterns = [
    path("", cycles.index, name="index"),
    path("communities/<int:community_pk>/cycles/new/", cycles.cycle_open, name="cycle_open"),
    path("cycles/<int:pk>/", cycles.cycle, name="cycle"),
    path("cycles/<int:pk>/criteria/<int:criterion_pk>/rate/", cycles.rate, name="rate"),
    path("cycles/<int:pk>/advance/", cycles.cycle_advance, name="cycle_advance"),
    path("actions/<int:pk>/status/", cycles.action_status, name="action_status"),
    path("standards/", cycles.standards, name="standards"),
    path("standards/new/", cycles.criterion_edit, name="criterion_new"),
    path("standards/<int:pk>/edit/", cycles.criterion_edit, name="criterion_edit"),
    path("standards/<int:pk>/retire/", cycles.criterion_retire, name="criterion_retire"),
    path("case-studies/", case_studies.index, name="case_studies"),
    path(
        "communities/<int:community_pk>/case-studies/new/",
        case_studies.request_case_study,
        name="case_study_request",
    ),
    path("case-studies/<int:pk>/", case_studies.case_study, name="case_study"),
    path("case-studies/<int:pk>/download/", case_studies.download, name="case_study_download"),
]
