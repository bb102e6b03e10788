import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dtc.settings")

app = Celery("dtc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _load_what_tasks_read(**kwargs):
    """Read the redaction lexicon (about a second) when a worker starts, not inside the
    first case study it renders."""
    from audit import lexicon

    lexicon.ordinary_words()
