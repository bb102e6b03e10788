"""seed_scale: a large, fully synthetic estate for load tests and the benchmark (bench/).

It refuses to run on a database that already has an organisation or users
(idempotent by refusal: run it once, on a fresh database). Rows are bulk-loaded
(COPY on PostgreSQL) without models' save(), services or signals, and deliberately
WITHOUT django-simple-history rows: a history table as large as each record table
would double the load for nothing a load test reads. Record pages show an empty
history for these rows."""

import random
import time
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from dtc.models import Cluster, Community, User
from dtc.scale import DEFAULT_SIZES, HISTORY_SIZES, SCALE_PASSWORD, YEARS, Estate, Loader

# Each part of the estate in the order its rows are needed: residents before the
# referrals that admitted them.
PARTS = ["dtc", "residents", "referrals", "supervision", "community"]


class Command(BaseCommand):
    help = (
        "Load a large synthetic estate (default: 1 cluster, 10 prisons, 50 communities, 2,000 "
        "staff, 25,000 residents, 100,000 referrals, 1,000,000 attendance rows, 200,000 "
        "documents, 100,000 supervision sessions) in bulk. Refuses a database that already "
        "has data. Writes no history rows (django-simple-history) for what it loads. Every "
        f"account's password is {SCALE_PASSWORD}."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply every size by this (e.g. 0.001 for a tiny estate).",
        )
        for name, default in DEFAULT_SIZES.items():
            parser.add_argument(
                f"--{name.replace('_', '-')}",
                type=int,
                dest=name,
                help=f"How many {name.replace('_', ' ')} (default {default:,}, times --scale).",
            )
        parser.add_argument(
            "--years",
            type=int,
            default=YEARS,
            help=f"Years of history behind the estate (default {YEARS}): the records go back "
            f"this far, and the sizes that grow with history ({', '.join(HISTORY_SIZES)}) are "
            f"multiplied by years / {YEARS} where not given. --years {10 * YEARS} is ten times "
            "the history of the same estate.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_scale writes synthetic people: it does not run in production.")
        if Cluster.objects.exists() or Community.objects.exists() or User.objects.exists():
            raise CommandError(
                "The database already has data: seed_scale loads only into a fresh, migrated "
                "database (createdb, then manage.py migrate)."
            )
        sizes = self.sizes(options)
        self.stdout.write("Sizes: " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
        now = timezone.now()
        estate = Estate(
            sizes=sizes,
            rng=random.Random(options["seed"]),  # noqa: S311 - synthetic data, not security
            today=timezone.localdate(),
            load=Loader(now=timezone.localtime(now)),
            years=options["years"],
        )
        started = time.monotonic()
        with transaction.atomic():
            for part in PARTS:
                began = time.monotonic()
                import_module(f"{part}.scale").seed(estate)
                self.stdout.write(f"  {part}: made in {time.monotonic() - began:.0f} s")
            began = time.monotonic()
            counts = estate.load.finish()
            self.stdout.write(f"  last rows written in {time.monotonic() - began:.0f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Fresh planner statistics, and the visibility map a running database gets from
                # autovacuum: without it COUNT(*) cannot use an index-only scan, and a page's
                # pagination count reads the whole table (100,000 referrals: 40 ms, not 7).
                # VACUUM cannot run inside a transaction (a test's): ANALYZE alone there.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        for table, count in sorted(counts.items()):
            self.stdout.write(f"  {table:45} {count:>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded in {time.monotonic() - started:.0f} s. Sign in as hop.1, tm.01, "
                f"clinician.01.1, officer.01.1, trainee.01.1 or auditor.01 with the password "
                f"{SCALE_PASSWORD}."
            )
        )

    @staticmethod
    def sizes(options) -> dict[str, int]:
        scale = options["scale"]
        if options["years"] < 1:
            raise CommandError("--years must be at least 1.")
        history = options["years"] / YEARS
        sizes = {
            name: options[name]
            if options[name] is not None
            else round(default * scale * (history if name in HISTORY_SIZES else 1))
            for name, default in DEFAULT_SIZES.items()
        }
        # Every level has at least one of the level above, and every community a team:
        # a Therapy Manager, a clinician, a trainee and an officer (plus the HoP and an
        # auditor per prison).
        sizes["clusters"] = max(1, sizes["clusters"])
        sizes["establishments"] = max(sizes["clusters"], sizes["establishments"])
        sizes["communities"] = max(sizes["establishments"], sizes["communities"])
        sizes["staff"] = max(
            sizes["clusters"] + sizes["establishments"] + 4 * sizes["communities"], sizes["staff"]
        )
        return sizes
