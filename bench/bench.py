"""Benchmark the key pages of DTC on a database seeded by `manage.py seed_scale`.

Serves the app with gunicorn on a free loopback port and drives each page with wrk from
a second process, signed in as one user per role; counts each page's SQL queries
in-process with Django's test client; times the scheduled reminder tasks (rolled
back, so the database is left as it was), the whole-cluster KPI computation and the
case-study render where they exist. Then staff write through the forms at once for a
while and every write is looked for in the database (bench/writes.py; the rows stay).
Writes bench/report.md and prints it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dtc_scale bench/run
    DATABASE_URL=... bench/run --writes-only   # only the writes: replaces their section
    DATABASE_URL=... bench/run --history postgres://…/dtc_scale_30y
        # the same pages and tasks on a second database, seeded with more years of
        # history (seed_scale --years 30), in one report with each one's growth:
        # bench/report-history.md

Environment: BENCH_SECONDS (per page, default 10), BENCH_WORKERS (gunicorn, default 2),
BENCH_CONNECTIONS (wrk, default 2), BENCH_WRITE_CLIENTS (default 20),
BENCH_WRITE_SECONDS (default 60)."""

import argparse
import io
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dtc.settings")
os.environ.pop("DTC_DEBUG", None)
os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import history, writes  # noqa: E402
from bench.pages import FLOOR, key_pages, people  # noqa: E402
from dtc.models import Role, User  # noqa: E402
from dtc.scale import SCALE_PASSWORD  # noqa: E402
from referrals.models import Referral  # noqa: E402
from residents.models import Attendance, ClinicalDocument, Resident  # noqa: E402
from supervision.models import SupervisionSession  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "2"))
WRITE_CLIENTS = int(os.environ.get("BENCH_WRITE_CLIENTS", "20"))
WRITE_SECONDS = int(os.environ.get("BENCH_WRITE_SECONDS", "60"))
WARM_UP_SECONDS = 2
WRK = shutil.which("wrk") or "/usr/bin/wrk"
# Targets at the default seed_scale size (issue #7).
TARGET_P95_MS = 250
TARGET_QUERIES = 20
TARGET_FLOOR_RATIO = 5
TARGET_KPI_SECONDS = 1.0
# A case study's render in the background task, content and PDF, at full scale.
TARGET_CASE_STUDY_SECONDS = 1.0
FLOOR_AGAIN = "Trivial signed-in page, the slower of its two runs"


def kpi_whole_cluster(hop, today):
    """The KPI computation for the whole cluster (this quarter), timed on its own and
    uncached: what the first reading after a change costs."""
    from audit import kpis  # noqa: PLC0415
    from dtc import permissions  # noqa: PLC0415

    communities = permissions.communities(hop, "view_audit").select_related("establishment")
    return kpis.compute(communities, kpis.Period.containing("quarter", today), today=today)


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark DTC (README.md, Benchmark).")
    parser.add_argument(
        "--writes-only",
        action="store_true",
        help="measure only the writes under load and replace their section of bench/report.md",
    )
    parser.add_argument(
        "--history",
        metavar="DATABASE_URL",
        help="measure the pages and tasks on DATABASE_URL and on this second database (the "
        "same estate with more years of history) and write both, with each one's growth, to "
        "bench/report-history.md",
    )
    # Internal: one database's figures as JSON, for --history (which runs each in its own
    # process, as Django holds one database).
    parser.add_argument("--figures", metavar="FILE", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.history:
        history.run(arguments.history)
        return
    if arguments.figures:
        Path(arguments.figures).write_text(json.dumps(figures()))
        return
    only_writes = arguments.writes_only
    if connection.vendor != "postgresql":
        print("warning: DATABASE_URL is not PostgreSQL; the targets are for PostgreSQL", flush=True)
    if only_writes:
        with gunicorn() as base:
            section = write_load(base)
        # Measured apart from the pages above it: the section says when and on what.
        heading, rest = section.split("\n", 1)
        when = f"Measured on its own, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}. "
        section = f"{heading}\n\n{when}{machine()}\n{rest}"
        report = ROOT / "bench" / "report.md"
        kept = report.read_text().split(WRITES_HEADING)[0].rstrip("\n") if report.exists() else ""
        report.write_text((kept + "\n\n" if kept else "") + section)
        print(section)
        return
    users = people()
    pages = key_pages(users)
    with gunicorn() as base:
        counted, measured = measure_pages(users, pages, base)
        # Last: the pages above are measured on the data as seeded.
        section = write_load(base)
    pages.append((FLOOR_AGAIN, FLOOR[1], pages[0][2]))
    print("Timing background work…", flush=True)
    jobs = background(users)
    report = render(users, pages, counted, measured, jobs) + "\n" + section
    (ROOT / "bench" / "report.md").write_text(report)
    print(report)


def measure_pages(users, pages, base: str) -> tuple[dict, dict]:
    """Each page's queries (in-process) and its timings under wrk on `base`; the floor
    is timed first and again last, and the faster of the two is the one compared with."""
    clients = {role: signed_in(user) for role, user in users.items()}
    print("Counting queries per page…", flush=True)
    counted = {label: count_queries(clients[role], path) for label, role, path in pages}
    print("Loading each page with wrk…", flush=True)
    measured = {}
    # The floor is measured first and again last (other work on a shared machine moves
    # it); the faster of the two is the one pages are compared with.
    for label, role, path in [*pages, (FLOOR_AGAIN, FLOOR[1], pages[0][2])]:
        cookie = clients[role].cookies[settings.SESSION_COOKIE_NAME].value
        measured[label] = load(base + path, f"{settings.SESSION_COOKIE_NAME}={cookie}")
        print(f"  {label}: p50 {measured[label]['p50']:.0f} ms", flush=True)
    if measured[FLOOR_AGAIN]["p50"] < measured[FLOOR[0]]["p50"]:
        measured[FLOOR[0]], measured[FLOOR_AGAIN] = measured[FLOOR_AGAIN], measured[FLOOR[0]]
    counted[FLOOR_AGAIN] = counted[FLOOR[0]]
    return counted, measured


def figures() -> dict:
    """This database's figures for the history report (bench/history.py): the pages,
    their queries and timings, the background work, the machine. No writes: the two
    databases are measured as seeded."""
    users = people()
    pages = key_pages(users)
    with gunicorn() as base:
        counted, measured = measure_pages(users, pages, base)
    pages.append((FLOOR_AGAIN, FLOOR[1], pages[0][2]))
    print("Timing background work…", flush=True)
    return {
        "machine": machine(),
        "database": settings.DATABASES["default"]["NAME"],
        "sizes": database_sizes(),
        "pages": [
            {
                "label": label,
                "who": f"{Role(role).label} ({users[role].username})",
                # The path names a record of this database: the two may differ.
                "path": path,
                **measured[label],
                **counted[label],
            }
            for label, role, path in pages
        ],
        "jobs": [
            {"what": what, "seconds": seconds, "queries": queries, "result": result}
            for what, seconds, queries, result in background(users)
        ],
    }


WRITES_HEADING = "## Writes under load"


def write_load(base: str) -> str:
    """The "Writes under load" section: WRITE_CLIENTS members of staff posting forms
    for WRITE_SECONDS, then every write counted in the database."""
    chosen = writes.writers(WRITE_CLIENTS)
    print(f"Writing with {len(chosen)} clients for {WRITE_SECONDS} s…", flush=True)
    load = writes.run(base, chosen, seconds=WRITE_SECONDS, password=SCALE_PASSWORD)
    tallies = writes.count(load)
    lines = writes.table(load, tallies, served_by=f"gunicorn ({WORKERS} sync workers)")
    assert lines[0] == WRITES_HEADING
    print("  " + writes.verdict(load, tallies)[1], flush=True)
    return "\n".join(lines) + "\n"


def signed_in(user) -> Client:
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    return client


class QueryCounter:
    """Counts the SQL statements run while installed, for work too long for
    connection.queries (it keeps 9,000); unlike it, BEGIN and COMMIT are not counted."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def count_queries(client, path) -> dict:
    client.get(path)  # the first request fills per-process caches
    # Counted as assertNumQueries counts them (BEGIN and COMMIT included).
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return {"queries": len(queries), "status": response.status_code}


class gunicorn:
    """The app under gunicorn on a free loopback port, as long as the block runs."""

    def __enter__(self) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "dtc.wsgi",
                f"--bind=127.0.0.1:{port}",
                f"--workers={WORKERS}",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=os.environ,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(60):
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return base
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        sys.exit("gunicorn did not answer /healthz within 30 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def load(url: str, cookie: str) -> dict:
    def wrk(seconds: int) -> dict:
        output = subprocess.run(  # noqa: S603
            [
                WRK,
                "--threads=1",
                f"--connections={CONNECTIONS}",
                f"--duration={seconds}s",
                "--timeout=30s",
                f"--script={ROOT / 'bench' / 'wrk.lua'}",
                f"--header=Cookie: {cookie}",
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return json.loads([line for line in output.splitlines() if line.startswith("{")][-1])

    wrk(WARM_UP_SECONDS)
    figures = wrk(SECONDS)
    return {
        "p50": figures["p50_us"] / 1000,
        "p95": figures["p95_us"] / 1000,
        "rps": figures["requests"] / (figures["duration_us"] / 1e6),
        "requests": figures["requests"],
        "not_ok": figures["not_ok"] + figures["socket_errors"],
    }


def timed(work) -> tuple[float, int, object]:
    """Seconds and queries taken by `work()`, rolled back so the database is unchanged."""
    counter = QueryCounter()
    with connection.execute_wrapper(counter), transaction.atomic():
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds, counter.count, result


def background(users) -> list[tuple[str, str, str, str]]:
    """(what, seconds, queries, result) for the scheduled tasks and the hooks."""
    rows = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        module, _, function = entry["task"].rpartition(".")
        task = getattr(import_module(module), function)
        seconds, queries, result = timed(task)
        rows.append(
            (f"Task {name} ({entry['task']})", f"{seconds:.2f}", str(queries), f"{result} sent")
        )
    hop = users[Role.HEAD_OF_PSYCHOTHERAPY]
    runs = [timed(lambda: kpi_whole_cluster(hop, timezone.localdate())) for _ in range(3)]
    seconds, queries, _ = sorted(runs, key=lambda run: run[0])[1]  # the median of three
    flag = " **over target**" if seconds > TARGET_KPI_SECONDS else ""
    rows.append(
        (
            "KPI computation, whole cluster (the median of three)",
            f"{seconds:.2f}{flag}",
            str(queries),
            "runs: " + ", ".join(f"{run[0]:.2f} s" for run in runs),
        )
    )
    said = io.StringIO()
    seconds, queries, _ = timed(
        lambda: call_command("bench_case_study", stdout=said, no_color=True)
    )
    # The command's total includes building the 18 months of records; its own lines
    # split out the render itself.
    render_line = next(
        (line for line in said.getvalue().splitlines() if line.startswith("Render")), ""
    )
    rendered = re.search(r"Render \(content and PDF\): ([0-9.]+) s", render_line)
    if rendered is None or float(rendered.group(1)) > TARGET_CASE_STUDY_SECONDS:
        render_line += f" **over the {TARGET_CASE_STUDY_SECONDS:.0f} s target**"
    rows.append(
        (
            "Case study of a resident with 18 months of records (building them included)",
            f"{seconds:.2f}",
            str(queries),
            render_line,
        )
    )
    return rows


def render(users, pages, counted, measured, jobs) -> str:
    floor = measured[FLOOR[0]]["p50"]
    lines = [
        f"# DTC benchmark, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        "",
        machine(),
        "",
        f"gunicorn {WORKERS} sync workers on loopback; wrk 1 thread, {CONNECTIONS} connections, "
        f"{SECONDS} s per page after {WARM_UP_SECONDS} s of warm-up. Queries counted in-process "
        "(second request, Django test client). Targets: p95 ≤ "
        f"{TARGET_P95_MS} ms, ≤ {TARGET_QUERIES} queries, p50 ≤ {TARGET_FLOOR_RATIO}× the floor.",
        "",
        "| Page | Signed in as | Path | p50 ms | p95 ms | req/s | SQL queries | p50 / floor | Over target |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for label, role, path in pages:
        who = f"{Role(role).label} ({users[role].username})"
        m, q = measured[label], counted[label]
        ratio = m["p50"] / floor if floor else 0
        over = [
            f"p95 > {TARGET_P95_MS} ms" if m["p95"] > TARGET_P95_MS else "",
            f"> {TARGET_QUERIES} queries" if q["queries"] > TARGET_QUERIES else "",
            f"> {TARGET_FLOOR_RATIO}× floor" if ratio > TARGET_FLOOR_RATIO else "",
            f"{m['not_ok']} answers not 200" if m["not_ok"] else "",
            f"status {q['status']}" if q["status"] != 200 else "",
        ]
        over = "; ".join(o for o in over if o)
        lines.append(
            f"| {label} | {who} | `{path}` | {m['p50']:.0f} | {m['p95']:.0f} | {m['rps']:.1f} "
            f"| {q['queries']} | {ratio:.1f} | {'**' + over + '**' if over else ''} |"
        )
    lines += [
        "",
        "| Background work | Seconds | SQL statements | Result |",
        "| --- | ---: | ---: | --- |",
    ]
    lines += [
        f"| {what} | {seconds} | {queries} | {result} |" for what, seconds, queries, result in jobs
    ]
    return "\n".join(lines) + "\n"


def database_sizes() -> dict[str, int]:
    return {
        "staff": User.objects.count(),
        "residents": Resident.objects.count(),
        "referrals": Referral.objects.count(),
        "attendance rows": Attendance.objects.count(),
        "clinical documents": ClinicalDocument.objects.count(),
        "supervision sessions": SupervisionSession.objects.count(),
    }


def machine() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version()" if connection.vendor == "postgresql" else "SELECT 'SQLite'"
        )
        database = cursor.fetchone()[0].split(" on ")[0]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    sizes = database_sizes()
    load_average = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    return (
        f"Machine: {os.cpu_count()} cores (nproc), {memory:.0f} GiB memory, load average "
        f"{load_average} at the end, {database}, "
        f"Python {platform.python_version()}, database `{settings.DATABASES['default']['NAME']}`: "
        + ", ".join(f"{count:,} {what}" for what, count in sizes.items())
        + "."
    )


if __name__ == "__main__":
    main()
