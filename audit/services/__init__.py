"""The audit module's writes, one module per sub-domain (as audit/views/): review
cycles and the standards, KPI targets, clinical audits, case studies and subject access
requests. Each function checks the policy and writes in one transaction;
django-simple-history records who changed what. Callers name them `services.<name>`,
so each module's public names are gathered here."""

from .case_studies import *  # noqa: F403
from .clinical_audits import *  # noqa: F403
from .cycles import *  # noqa: F403
from .kpis import *  # noqa: F403
from .subject_access import *  # noqa: F403
