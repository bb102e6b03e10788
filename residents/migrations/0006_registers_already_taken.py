"""Registers taken before a register could be left open: a session with attendance
marks counts as taken, when its last mark was recorded (or on the day of the group, where
the marks have no history), by whoever recorded that mark."""

from datetime import datetime, time

from django.db import migrations
from django.utils import timezone


def mark_taken(apps, schema_editor):
    GroupSession = apps.get_model("residents", "GroupSession")
    Attendance = apps.get_model("residents", "Attendance")
    HistoricalAttendance = apps.get_model("residents", "HistoricalAttendance")
    sessions = GroupSession.objects.filter(
        register_taken_at__isnull=True, pk__in=Attendance.objects.values("session_id")
    )
    for session in sessions.iterator():
        last = (
            HistoricalAttendance.objects.filter(session_id=session.pk)
            .order_by("-history_date")
            .first()
        )
        if last is not None:
            taken_at, taken_by = last.history_date, last.recorded_by_id
        else:
            mark = Attendance.objects.filter(session_id=session.pk).order_by("-pk").first()
            taken_at = timezone.make_aware(datetime.combine(session.held_on, time(12)))
            taken_by = mark.recorded_by_id
        # No history row for this fix-up: a QuerySet.update writes none, on purpose.
        GroupSession.objects.filter(pk=session.pk).update(
            register_taken_at=taken_at, register_taken_by_id=taken_by
        )


class Migration(migrations.Migration):
    dependencies = [("residents", "0005_register_taken")]

    operations = [migrations.RunPython(mark_taken, migrations.RunPython.noop)]
