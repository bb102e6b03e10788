"""Seed the demo into a fresh SQLite database and print every KPI per community for
last month, with a few other truths of the demo (dates of overrides and waiting-list
entries, today's registers), to see that a newcomer's first look adds up.

    .venv/bin/python bench/demo_kpis.py [/tmp/demo-x.sqlite3]"""

import os
import sys
import time
from collections import Counter
from pathlib import Path

PATH = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/demo-x.sqlite3")  # noqa: S108 - a scratch database
PATH.unlink(missing_ok=True)
os.environ["DATABASE_URL"] = f"sqlite:///{PATH}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dtc.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from audit import kpis  # noqa: E402
from dtc.models import Community  # noqa: E402
from referrals.models import Override, Referral  # noqa: E402
from residents.models import Attendance, GroupSession, Resident  # noqa: E402

call_command("migrate", verbosity=0)
started = time.monotonic()
with open(os.devnull, "w") as quiet:
    call_command("seed_demo", stdout=quiet)
print(f"seed_demo: {time.monotonic() - started:.0f} s")

today = timezone.localdate()
period = kpis.Period.containing("month", today).previous()
results = kpis.compute(Community.objects.order_by("pk"), period, today=today)
names = [r.community.name for r in results]
print(f"\nKPIs for {period.label} (today {today})\n")
print(f"| KPI | target | {' | '.join(names)} |")
print(f"|---|---|{'---|' * len(names)}")
for kpi in kpis.KPIS:
    values = [r.values[kpi.key] for r in results]
    target = next((v.target_display for v in values if v.target_display), "")
    cells = [f"{v.display}{' ✗' if v.status == 'missed' else ''}" for v in values]
    print(f"| {kpi.label} | {target} | {' | '.join(cells)} |")

overrides = Override.objects.values_list("referral__accepted_on", flat=True)
waiting = Referral.objects.filter(status="accepted").values_list("accepted_on", flat=True)
print("\nOverrides accepted on:", sorted(str(d) for d in overrides))
print("Waiting list accepted in:", sorted(Counter(f"{d:%Y-%m}" for d in waiting).items()))
beds = sum(c.capacity for c in Community.objects.all())
print("Current residents:", Resident.objects.current().count(), "beds:", beds)
sessions_today = GroupSession.objects.filter(held_on=today)
print(
    "Sessions today:",
    sessions_today.count(),
    "with attendance rows:",
    Attendance.objects.filter(session__in=sessions_today).count(),
)
