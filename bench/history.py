"""`bench/run --history URL`: the key pages and the background work measured on two
databases of the same estate, the second with more years of history behind it
(`seed_scale --years 30`), in one report with the growth of each (issue: cost that does
not grow with history). Each database is measured in its own process (Django holds one
database), one after the other on the same machine, as seeded: no writes.

Targets at the larger history: every page p95 ≤ 250 ms, ≤ 20 queries, p50 ≤ 5× the
floor, and growth (p50 there / p50 here) ≤ 1.5; the reminder tasks make as many
statements at both sizes and finish in ≤ 2 s; the KPI computation and the case study
in ≤ 1 s."""

import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "bench" / "report-history.md"

TARGET_P95_MS = 250
TARGET_QUERIES = 20
TARGET_FLOOR_RATIO = 5
TARGET_GROWTH = 1.5
TARGET_TASK_SECONDS = 2.0
TARGET_KPI_SECONDS = 1.0
TARGET_CASE_STUDY_SECONDS = 1.0


def run(larger_url: str) -> None:
    smaller_url = os.environ["DATABASE_URL"]
    measured = [figures_of(url) for url in (smaller_url, larger_url)]
    report = render(*measured)
    REPORT.write_text(report)
    print(report)


def figures_of(url: str) -> dict:
    print(f"Measuring {url.rsplit('/', 1)[-1]}…", flush=True)
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "bench" / "bench.py"), "--figures", out.name],
            env={**os.environ, "DATABASE_URL": url},
            check=True,
        )
        return json.loads(Path(out.name).read_text())


def seconds_of(text: str) -> float:
    return float(re.match(r"[0-9.]+", text).group(0))


def render_seconds(job: dict) -> float:
    """The case study's render time, from its result line (its seconds include building
    its 18 months of records); every other job's own seconds."""
    found = re.search(r"Render \(content and PDF\): ([0-9.]+) s", job["result"])
    return float(found.group(1)) if found else seconds_of(job["seconds"])


def render(small: dict, large: dict) -> str:
    factor = large["sizes"]["attendance rows"] / max(1, small["sizes"]["attendance rows"])
    big = f"{factor:.0f}×"
    floors = [
        min(p["p50"] for p in figures["pages"] if p["label"].startswith("Trivial"))
        for figures in (small, large)
    ]
    lines = [
        f"# DTC benchmark at two sizes of history, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        "",
        f"1×: {small['machine']}",
        "",
        f"{big}: {large['machine']}",
        "",
        "The same pages as `bench/report.md` (gunicorn, wrk; queries counted in-process), "
        "measured on each database in turn, as seeded. Targets at "
        f"{big}: p95 ≤ {TARGET_P95_MS} ms, ≤ {TARGET_QUERIES} queries, p50 ≤ "
        f"{TARGET_FLOOR_RATIO}× the floor ({floors[1]:.0f} ms; {floors[0]:.0f} ms at 1×), and "
        f"growth ({big} p50 / 1× p50) ≤ {TARGET_GROWTH}.",
        "",
        f"| Page | Signed in as | p50 ms, 1× | p50 ms, {big} | Growth | p95 ms, {big} | "
        f"Queries, 1× | Queries, {big} | p50 / floor, {big} | Over target |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    before = {page["label"]: page for page in small["pages"]}
    for page in large["pages"]:
        was = before.get(page["label"])
        if was is None:
            continue
        growth = page["p50"] / was["p50"] if was["p50"] else 0
        ratio = page["p50"] / floors[1] if floors[1] else 0
        over = [
            f"p95 > {TARGET_P95_MS} ms" if page["p95"] > TARGET_P95_MS else "",
            f"> {TARGET_QUERIES} queries" if page["queries"] > TARGET_QUERIES else "",
            f"> {TARGET_FLOOR_RATIO}× floor" if ratio > TARGET_FLOOR_RATIO else "",
            f"growth > {TARGET_GROWTH}" if growth > TARGET_GROWTH else "",
            f"status {page['status']}" if page["status"] != 200 else "",
            f"{page['not_ok']} answers not 200" if page["not_ok"] else "",
        ]
        over = "; ".join(o for o in over if o)
        lines.append(
            f"| {page['label']} | {page['who']} | {was['p50']:.0f} | {page['p50']:.0f} | "
            f"{growth:.2f} | {page['p95']:.0f} | {was['queries']} | {page['queries']} | "
            f"{ratio:.1f} | {'**' + over + '**' if over else ''} |"
        )
    lines += [
        "",
        f"| Background work | Seconds, 1× | Seconds, {big} | Growth | Statements, 1× | "
        f"Statements, {big} | Over target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    jobs_before = {job["what"]: job for job in small["jobs"]}
    for job in large["jobs"]:
        was = jobs_before.get(job["what"])
        if was is None:
            continue
        seconds, seconds_before = render_seconds(job), render_seconds(was)
        growth = seconds / seconds_before if seconds_before else 0
        limit = (
            TARGET_KPI_SECONDS
            if job["what"].startswith("KPI")
            else TARGET_CASE_STUDY_SECONDS
            if job["what"].startswith("Case study")
            else TARGET_TASK_SECONDS
        )
        over = [
            f"> {limit:g} s" if seconds > limit else "",
            "more statements"
            if job["what"].startswith("Task") and int(job["queries"]) > int(was["queries"])
            else "",
        ]
        over = "; ".join(o for o in over if o)
        what = job["what"]
        if what.startswith("Case study"):
            what = "Case study render (content and PDF)"
        lines.append(
            f"| {what} | {seconds_before:.2f} | {seconds:.2f} | {growth:.2f} | {was['queries']} | "
            f"{job['queries']} | {'**' + over + '**' if over else ''} |"
        )
    return "\n".join(lines) + "\n"
