"""The two-size report (bench/history.py) compares each page and task at one history with
the same at a larger one, and flags every target missed, growth among them."""

from bench import history


def figures(attendance, pages, jobs):
    return {
        "machine": "Machine: test",
        "database": "db",
        "sizes": {"attendance rows": attendance},
        "pages": [
            {
                "label": label,
                "who": "Therapy Manager (tm.01)",
                "path": "/",
                "p50": p50,
                "p95": p95,
                "rps": 1.0,
                "requests": 10,
                "not_ok": 0,
                "queries": queries,
                "status": 200,
            }
            for label, p50, p95, queries in pages
        ],
        "jobs": [
            {"what": what, "seconds": seconds, "queries": queries, "result": result}
            for what, seconds, queries, result in jobs
        ],
    }


FLOOR = "Trivial signed-in page (the floor)"
TASK = "Task residents-due-reminders (residents.tasks.remind_due_reviews_and_documents)"
CASE = "Case study of a resident with 18 months of records (building them included)"


def row(report, starts) -> str:
    return next(line for line in report.splitlines() if line.startswith(f"| {starts}"))


def test_growth_and_every_target_are_read_at_the_larger_history():
    small = figures(
        1_000_000,
        [(FLOOR, 10, 12, 7), ("Resident page", 30, 40, 18), ("Home", 40, 50, 19)],
        [(TASK, "1.10", "26", "10 sent"), (CASE, "2.5", "900", "Render (content and PDF): 0.5 s")],
    )
    large = figures(
        10_000_000,
        [(FLOOR, 10, 13, 7), ("Resident page", 60, 300, 22), ("Home", 44, 55, 19)],
        [(TASK, "3.00", "40", "90 sent"), (CASE, "2.9", "900", "Render (content and PDF): 0.6 s")],
    )
    report = history.render(small, large)
    assert "p50 ms, 10×" in report
    resident = row(report, "Resident page")
    assert "| 30 | 60 | 2.00 |" in resident
    assert "p95 > 250 ms" in resident
    assert "> 20 queries" in resident
    assert "> 5× floor" in resident
    assert "growth > 1.5" in resident
    home = row(report, "Home")
    assert "| 1.10 |" in home and home.endswith("|  |")
    task = row(report, TASK)
    assert "> 2 s" in task and "more statements" in task
    case = row(report, "Case study render")
    assert "| 0.50 | 0.60 |" in case and case.endswith("|  |")
