import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dtc.settings")

app = Celery("dtc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def prepare_worker(**kwargs):
    """Read the redaction lexicon (about a second) and lay out a first PDF when a worker
    starts, not inside the first case study it renders."""
    from audit import lexicon, pdf

    lexicon.ordinary_words()
    pdf.warm_up()
