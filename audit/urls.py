from django.urls import path

from .views import case_studies, clinical_audits, cycles, kpis, subject_access

app_name = "audit"
urlpatterns = [
    path("", cycles.index, name="index"),
    path("communities/<int:community_pk>/cycles/new/", cycles.cycle_open, name="cycle_open"),
    path("cycles/<int:pk>/", cycles.cycle, name="cycle"),
    path(
        "cycles/<int:pk>/criteria/<int:criterion_pk>/rate/",
        cycles.criterion_rate,
        name="criterion_rate",
    ),
    path("cycles/<int:pk>/advance/", cycles.cycle_advance, name="cycle_advance"),
    path("actions/<int:pk>/status/", cycles.action_status, name="action_status"),
    path("standards/", cycles.standards, name="standards"),
    path("standards/new/", cycles.criterion_edit, name="criterion_new"),
    path("standards/<int:pk>/edit/", cycles.criterion_edit, name="criterion_edit"),
    path("standards/<int:pk>/retire/", cycles.criterion_retire, name="criterion_retire"),
    path("kpis/", kpis.kpi_compare, name="kpi_compare"),
    path("kpis/targets/", kpis.kpi_targets, name="kpi_targets"),
    path("kpis/targets/<slug:key>/", kpis.kpi_target_edit, name="kpi_target_edit"),
    path("communities/<int:community_pk>/kpis/", kpis.community_kpis, name="kpis"),
    path("case-studies/", case_studies.index, name="case_studies"),
    path(
        "communities/<int:community_pk>/case-studies/new/",
        case_studies.request_case_study,
        name="case_study_request",
    ),
    path("case-studies/<int:pk>/", case_studies.case_study, name="case_study"),
    path("case-studies/<int:pk>/download/", case_studies.download, name="case_study_download"),
    path(
        "case-studies/<int:pk>/draft/download/",
        case_studies.download_draft,
        name="case_study_draft_download",
    ),
    path("case-studies/<int:pk>/redact/", case_studies.redact, name="case_study_redact"),
    path(
        "case-studies/<int:pk>/render-again/",
        case_studies.render_again,
        name="case_study_render_again",
    ),
    path("case-studies/<int:pk>/release/", case_studies.release, name="case_study_release"),
]
urlpatterns += [
    path("clinical/", clinical_audits.clinical_audits, name="clinical_audits"),
    path("clinical/templates/", clinical_audits.clinical_templates, name="clinical_templates"),
    path(
        "clinical/templates/new/",
        clinical_audits.clinical_template_edit,
        name="clinical_template_new",
    ),
    path(
        "clinical/templates/<int:pk>/edit/",
        clinical_audits.clinical_template_edit,
        name="clinical_template_edit",
    ),
    path(
        "clinical/templates/<int:pk>/retire/",
        clinical_audits.clinical_template_retire,
        name="clinical_template_retire",
    ),
    path(
        "communities/<int:community_pk>/clinical/new/",
        clinical_audits.clinical_run_start,
        name="clinical_run_start",
    ),
    path("clinical/runs/<int:pk>/", clinical_audits.clinical_run, name="clinical_run"),
    path(
        "clinical/runs/<int:pk>/records/<int:position>/",
        clinical_audits.clinical_answer,
        name="clinical_answer",
    ),
    path(
        "clinical/runs/<int:pk>/complete/",
        clinical_audits.clinical_run_complete,
        name="clinical_run_complete",
    ),
    path(
        "clinical/runs/<int:pk>/withdraw/",
        clinical_audits.clinical_run_withdraw,
        name="clinical_run_withdraw",
    ),
]
urlpatterns += [
    path("subject-access/", subject_access.index, name="subject_access_requests"),
    path("subject-access/new/", subject_access.subject_access_new, name="subject_access_new"),
    path("subject-access/<int:pk>/", subject_access.subject_access, name="subject_access"),
    path(
        "subject-access/<int:pk>/download/<slug:kind>/",
        subject_access.download,
        name="subject_access_download",
    ),
]
