"""Writes under load: members of staff, each signed in in their own session, post the
forms of a shift through HTTP for a fixed time — record a group and take its register,
record an incident, write a clinical document draft — and every request is timed. Then
each write is looked for in the database. Shared by bench/bench.py ("Writes under
load") and tests/bench/test_write_load.py, which runs it small against a live server.

Only the standard library speaks HTTP here (urllib, http.cookiejar, threads), to
loopback only; every client's loop is bounded by the clock and by MAX_ROUNDS."""

import http.cookiejar
import re
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from math import ceil

from django.db.models import Count
from django.utils import timezone

from dtc.models import Role, RoleAssignment, User
from residents.models import (
    Attendance,
    AttendanceStatus,
    ClinicalDocument,
    DocumentKind,
    DocumentStatus,
    GroupSession,
    Incident,
    IncidentKind,
    Intervention,
    Resident,
    Seriousness,
)

ROLES = (Role.OFFICER, Role.CLINICIAN, Role.THERAPY_MANAGER)
# Officers record attendance and incidents; clinical documents are for the clinical team.
ACTIONS = {
    Role.OFFICER: ("register", "incident"),
    Role.CLINICIAN: ("register", "incident", "document"),
    Role.THERAPY_MANAGER: ("register", "incident", "document"),
}
WRITES = ("group", "register", "incident", "document")
LABELS = {
    "group": "Group recorded (the group form)",
    "register": "Register taken (every resident marked)",
    "incident": "Incident recorded",
    "document": "Clinical document draft",
}
MAX_ROUNDS = 100_000
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TIMEOUT_SECONDS = 30
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The one-time token a browser posts back with the form (dtc.form_tokens).
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]*)"')
REGISTER_FIELD = re.compile(r'name="(resident-\d+)"')
MARKS = (AttendanceStatus.PRESENT, AttendanceStatus.PRESENT, AttendanceStatus.ABSENT)
# Where each form sends its author when the write is saved.
SAVED = {
    "sign in": re.compile(r"^/$"),
    "group": re.compile(r"^/residents/groups/(\d+)/register/$"),
    "register": re.compile(r"^/residents/groups/(\d+)/register/$"),
    "incident": re.compile(r"^/residents/(\d+)/$"),
    "document": re.compile(r"^/residents/documents/(\d+)/$"),
}


@dataclass
class Writer:
    """A member of staff who writes, the community where they hold the role, and the
    residents there they may write about."""

    user: User
    role: str
    community_id: int
    residents: list[int]


def writers(count: int) -> list[Writer]:
    """`count` distinct officers, clinicians and Therapy Managers, taken in turn by role
    and community (as on a real shift, the load falls on many communities at once),
    each on a community with current residents."""
    residents: dict[int, list[int]] = {}
    for pk, community_id in (
        Resident.objects.current()
        .filter(is_restricted=False, admitted_on__lte=timezone.localdate())
        .order_by("pk")
        .values_list("pk", "community_id")
    ):
        residents.setdefault(community_id, []).append(pk)
    holders: dict[tuple[str, int], list[User]] = {}
    for assignment in (
        RoleAssignment.objects.active()
        .filter(role__in=ROLES, community_id__in=residents, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    ):
        holders.setdefault((assignment.role, assignment.community_id), []).append(assignment.user)
    communities = sorted(residents)
    chosen: list[Writer] = []
    taken: set[int] = set()
    # The i-th writer holds the i-th role on the i-th community, or the next community
    # with someone of that role left; every turn takes someone or the pools are empty.
    for i in range(sum(len(users) for users in holders.values())):
        if len(chosen) == count:
            break
        role = ROLES[i % len(ROLES)]
        for step in range(len(communities)):
            community_id = communities[(i + step) % len(communities)]
            pool = [u for u in holders.get((role, community_id), []) if u.pk not in taken]
            if pool:
                taken.add(pool[0].pk)
                chosen.append(Writer(pool[0], role, community_id, residents[community_id]))
                break
    if len(chosen) < count:
        raise SystemExit(
            f"Only {len(chosen)} officers, clinicians and Therapy Managers on communities "
            f"with residents; {count} writers were asked for."
        )
    return chosen


@dataclass
class Sent:
    """One HTTP request: what it was for, its answer and how long it took."""

    kind: str
    method: str
    ms: float
    status: int | None
    error: str = ""


@dataclass
class Client:
    """One member of staff in their own browser session: their own cookies and CSRF
    token, redirects not followed (a saved form answers with one)."""

    base: str
    writer: Writer
    password: str
    tag: str
    sent: list[Sent] = field(default_factory=list)
    # What the database should hold afterwards: the groups and documents by id, the
    # marks of each register by group id, the incidents by their text.
    groups: list[int] = field(default_factory=list)
    registers: dict[int, int] = field(default_factory=dict)
    incidents: list[str] = field(default_factory=list)
    documents: list[int] = field(default_factory=list)

    def __post_init__(self):
        where = urllib.parse.urlsplit(self.base)
        if where.scheme != "http" or where.hostname not in LOOPBACK:
            raise ValueError(f"The write load goes to a server on loopback only, not {self.base}")

        class Answer(urllib.request.HTTPErrorProcessor):
            def http_response(self, request, response):
                return response  # every status back as it is, redirects included

        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),  # straight to loopback, whatever http_proxy says
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            Answer(),
        )

    def _request(self, kind: str, path: str, fields: dict | None = None):
        """(status, body or the redirect's path); None when the request failed."""
        method = "GET" if fields is None else "POST"
        data = None if fields is None else urllib.parse.urlencode(fields, doseq=True).encode()
        # Only http on loopback: checked when the client is made.
        request = urllib.request.Request(self.base + path, data=data, method=method)  # noqa: S310
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                status = response.status
                body = response.read().decode()
                location = response.headers.get("Location", "")
        except (OSError, ValueError) as failure:  # URLError, timeouts, a dropped connection
            self.sent.append(Sent(kind, method, _ms(started), None, type(failure).__name__))
            return None
        ms = _ms(started)
        if method == "GET":
            ok = status == 200
            error = "" if ok else f"status {status}"
        else:
            saved = SAVED[kind].match(urllib.parse.urlsplit(location).path) if location else None
            ok = status == 302 and saved is not None
            if status == 200:
                error = "form shown again with errors"
            elif status == 302 and not saved:
                error = f"redirected to {urllib.parse.urlsplit(location).path}"
            else:
                error = "" if ok else f"status {status}"
        self.sent.append(Sent(kind, method, ms, status, error))
        if not ok:
            return None
        return status, (body if method == "GET" else urllib.parse.urlsplit(location).path)

    def _form(self, kind: str, path: str, fields) -> str | None:
        """Open the form page, then post it with the page's CSRF and form tokens and
        `fields` (or what `fields(page)` makes of the page); the path that the saved form
        redirects to, or None."""
        page = self._request("form page", path)
        token = CSRF.search(page[1]) if page else None
        if token is None:
            if page:
                self.sent[-1].error = "no CSRF token on the page"
            return None
        values = fields(page[1]) if callable(fields) else fields
        once = FORM_TOKEN.search(page[1])
        tokens = {"csrfmiddlewaretoken": token.group(1)}
        if once:
            tokens["form_token"] = once.group(1)
        answer = self._request(kind, path, {**tokens, **values})
        return answer[1] if answer else None

    def sign_in(self) -> bool:
        return bool(
            self._form(
                "sign in",
                "/sign-in/",
                {"username": self.writer.user.username, "password": self.password},
            )
        )

    def register(self, n: int, today: date) -> None:
        """Record a community meeting held today, then take its register."""
        saved = self._form(
            "group",
            f"/residents/groups/communities/{self.writer.community_id}/new/",
            {
                "group_type": Intervention.COMMUNITY_MEETING,
                "small_group": "",
                **_day("held_on", today),
                "duration_minutes": "60",
                "facilitators": str(self.writer.user.pk),
                # Each writer records many meetings a day: they say so.
                "confirm_same_day": "on",
            },
        )
        if not saved:
            return
        session = int(SAVED["group"].match(saved).group(1))
        self.groups.append(session)
        marks = {}

        def everyone_marked(page: str) -> dict:
            residents = dict.fromkeys(REGISTER_FIELD.findall(page))
            marks.update({name: MARKS[(n + i) % len(MARKS)] for i, name in enumerate(residents)})
            return {**marks, "close": ""}

        if self._form("register", saved, everyone_marked):
            self.registers[session] = len(marks)

    def incident(self, n: int, today: date) -> None:
        resident = self.writer.residents[n % len(self.writer.residents)]
        text = f"Raised voice at the servery; settled after talking it through ({self.tag}-{n})."
        if self._form(
            "incident",
            f"/residents/{resident}/incidents/new/",
            {
                **_day("occurred_on", today),
                "kind": IncidentKind.RULE_BREAK if n % 2 else IncidentKind.INCIDENT,
                "seriousness": Seriousness.LOW,
                "description": text,
            },
        ):
            self.incidents.append(text)

    def document(self, n: int, today: date) -> None:
        resident = self.writer.residents[n % len(self.writer.residents)]
        saved = self._form(
            "document",
            f"/residents/{resident}/documents/new/",
            {
                "kind": DocumentKind.CASE_NOTE,
                "title": f"Case note after the community meeting ({self.tag}-{n})",
                "body": "Spoke in the community meeting about his week; calmer than last.",
            },
        )
        if saved:
            self.documents.append(int(SAVED["document"].match(saved).group(1)))

    def run(self, deadline: float, today: date) -> None:
        actions = ACTIONS[self.writer.role]
        for n in range(MAX_ROUNDS):
            if time.monotonic() >= deadline:
                break
            getattr(self, actions[n % len(actions)])(n, today)


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _day(name: str, day: date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


@dataclass
class Load:
    clients: list[Client]
    seconds: float
    started: datetime
    finished: datetime

    def requests(self) -> list[Sent]:
        return [sent for client in self.clients for sent in client.sent]

    def errors(self) -> Counter:
        return Counter(f"{s.kind} {s.method}: {s.error}" for s in self.requests() if s.error)


def run(base: str, chosen: list[Writer], *, seconds: float, password: str) -> Load:
    """Sign every writer in (before the clock starts), then let them all write at once
    for `seconds`."""
    stamp = f"{time.time():.0f}"
    clients = [
        Client(base, writer, password, f"w{stamp}.{i:02d}") for i, writer in enumerate(chosen)
    ]
    signed_in = {}
    _together([lambda c=c: signed_in.update({c.tag: c.sign_in()}) for c in clients])
    today = timezone.localdate()
    started = timezone.now()
    deadline = time.monotonic() + seconds
    # A writer refused at sign-in has its error counted and writes nothing.
    _together([lambda c=c: c.run(deadline, today) for c in clients if signed_in[c.tag]])
    return Load(clients, seconds, started, timezone.now())


def _together(work) -> None:
    threads = [threading.Thread(target=job, daemon=True) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()  # each client stops at the deadline, each request within its timeout


@dataclass
class Tally:
    """One kind of write: successful submissions, those found in the database, and the
    rows the writers created in the window (their own rows with a creation history row)
    against the rows the submissions should have made."""

    writes: int = 0
    present: int = 0
    rows_expected: int = 0
    rows_found: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def complete(self) -> bool:
        return self.present == self.writes and self.rows_found == self.rows_expected


def created(model, author_field: str, user, load: Load):
    """The user's rows of `model` whose creation (history row "+") falls in the run."""
    born = model.history.filter(
        history_type="+", history_date__range=(load.started, load.finished)
    ).values("id")
    return model.objects.filter(**{author_field: user}, pk__in=born)


def count(load: Load) -> dict[str, Tally]:
    """Look for every write of the run in the database, writer by writer."""
    tallies = {kind: Tally() for kind in WRITES}
    for client in load.clients:
        user = client.writer.user
        group = tallies["group"]
        group.writes += len(client.groups)
        group.present += (
            created(GroupSession, "recorded_by", user, load).filter(pk__in=client.groups).count()
        )
        group.rows_expected += len(client.groups)
        group.rows_found += created(GroupSession, "recorded_by", user, load).count()

        register = tallies["register"]
        marked = dict(
            created(Attendance, "recorded_by", user, load)
            .values_list("session_id")
            .annotate(rows=Count("pk"))
            .order_by()
        )
        register.writes += len(client.registers)
        register.present += sum(
            1 for session, marks in client.registers.items() if marked.get(session, 0) == marks
        )
        register.rows_expected += sum(client.registers.values())
        register.rows_found += sum(marked.values())

        incident = tallies["incident"]
        mine = created(Incident, "recorded_by", user, load)
        incident.writes += len(client.incidents)
        incident.present += mine.filter(description__in=client.incidents).count()
        incident.rows_expected += len(client.incidents)
        incident.rows_found += mine.count()

        document = tallies["document"]
        mine = created(ClinicalDocument, "author", user, load)
        document.writes += len(client.documents)
        document.present += mine.filter(
            pk__in=client.documents, status=DocumentStatus.DRAFT
        ).count()
        document.rows_expected += len(client.documents)
        document.rows_found += mine.count()
    for sent in load.requests():
        if sent.kind in tallies:
            tallies[sent.kind].latencies.append(sent.ms)
            tallies[sent.kind].errors += bool(sent.error)
    return tallies


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    ordered = sorted(values)
    return ordered[max(0, ceil(share * len(ordered)) - 1)] if ordered else 0.0


def verdict(load: Load, tallies: dict[str, Tally]) -> tuple[bool, str]:
    """(whether nothing was lost, the sentence that says so)."""
    errors = sum(load.errors().values())
    writes = sum(t.writes for t in tallies.values())
    present = sum(t.present for t in tallies.values())
    lost = not all(t.complete for t in tallies.values())
    posts = [ms for t in tallies.values() for ms in t.latencies]
    timing = f"p50 {percentile(posts, 0.5):.0f} ms, p95 {percentile(posts, 0.95):.0f} ms"
    if errors == 0 and not lost and writes:
        return True, f"0 errors, {writes} writes, {present} present; {timing}"
    rows = sum(t.rows_found - t.rows_expected for t in tallies.values())
    extra = f", {rows:+d} rows against the submissions" if rows else ""
    return False, (
        f"**{errors} errors, {writes} writes, {present} present{extra}**; {timing}"
        if writes
        else f"**{errors} errors and no write saved**"
    )


def table(load: Load, tallies: dict[str, Tally], *, served_by: str) -> list[str]:
    """The "Writes under load" section of bench/report.md; `served_by` says what served."""
    roles = Counter(Role(client.writer.role).label for client in load.clients)
    communities = len({client.writer.community_id for client in load.clients})
    reads = [s.ms for s in load.requests() if s.kind == "form page"]
    _ok, sentence = verdict(load, tallies)
    lines = [
        "## Writes under load",
        "",
        f"{len(load.clients)} clients ("
        + ", ".join(
            f"{n} {role.lower()}s" if n > 1 else f"1 {role.lower()}" for role, n in roles.items()
        )
        + f", on {communities} communities), each signed in in its own session, posting the forms "
        f"for {load.seconds:.0f} s to {served_by}: every write opens its form page (for the CSRF token) and "
        "posts it; a write counts when the form redirects to the saved record. Afterwards each "
        "writer's rows created in the run (by author, with their creation history row) are "
        f"counted in the database. **Result: {sentence}.**",
        "",
        "| Write | Saved | Errors | Present | Rows expected | Rows found | p50 ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, tally in tallies.items():
        lines.append(
            f"| {LABELS[kind]} | {tally.writes} | {tally.errors} | {tally.present} "
            f"| {tally.rows_expected} | {tally.rows_found} "
            f"| {percentile(tally.latencies, 0.5):.0f} | {percentile(tally.latencies, 0.95):.0f} |"
        )
    page_errors = sum(1 for s in load.requests() if s.kind == "form page" and s.error)
    lines.append(
        f"| Form pages opened before each write | {len(reads)} read | {page_errors} | | | "
        f"| {percentile(reads, 0.5):.0f} | {percentile(reads, 0.95):.0f} |"
    )
    errors = load.errors()
    if errors:
        lines += ["", "Errors: " + "; ".join(f"{what} ×{n}" for what, n in errors.most_common(5))]
    return lines
