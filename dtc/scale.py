"""A large synthetic estate for load tests (`manage.py seed_scale`): the organisation,
the staff and their role groups. The other apps add their part in their own scale.py;
they share one Estate and one Loader.

Rows are written in bulk, with their ids chosen here so that later rows can point at
them without reading anything back: COPY on PostgreSQL, executemany elsewhere (the
tests run it tiny on SQLite). Nothing goes through models' save(), services or
signals, and no history rows are written — see the command's help."""

import csv
import io
import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from . import permissions
from .models import (
    Cluster,
    Community,
    CommunityGroupObjectPermission,
    Discipline,
    Establishment,
    ProfessionalBody,
    Role,
    RoleAssignment,
    StaffProfile,
    User,
)

SCALE_PASSWORD = "scale-dtc-2026"  # noqa: S105 - synthetic accounts; seed_scale refuses production

# The default estate (issue #7): every size is an option of seed_scale, and --scale
# multiplies them all.
DEFAULT_SIZES = {
    "clusters": 1,
    "establishments": 10,
    "communities": 50,
    "staff": 2000,
    "current_residents": 5000,
    "past_residents": 20000,
    "referrals": 100000,
    "attendance": 1000000,
    "documents": 200000,
    "supervision_sessions": 100000,
}
YEARS = 3  # records are spread over the last three years (seed_scale --years)
# The sizes that grow with the years of history behind the estate: seed_scale --years N
# multiplies them by N / YEARS, where the staff and the residents of today stay as they are.
HISTORY_SIZES = ("past_residents", "referrals", "attendance", "documents", "supervision_sessions")

FIRST_NAMES = (
    "Aaron Ben Carl Dean Eli Finn Gary Hugo Ian Jack Kyle Liam Mark Neil Oscar Paul Ravi "
    "Sean Tariq Umar Vince Wes Yusuf Zach Alan Brian Colin Dev Ewan Fraser Glen Harry"
).split()
LAST_NAMES = (
    "Ashby Brennan Colley Dorsey Eade Farrow Gault Hebden Ingle Jessop Kemble Lowther Marsh "
    "Nolan Orme Pryor Quarrie Rudd Stott Thwaite Upton Vesey Wragg Yeadon Aldous Burrell "
    "Cattermole Dunstan Ellery Foxley Grimshaw Hollin"
).split()
STAFF_FIRST = (
    "Morgan Priya Tomasz Ayesha Declan Hannah Samuel Rhiannon Isaac Leah Owen Grace Callum "
    "Nadia Reuben Freya Jonah Esme Victor Lois Kieran Maya Felix Zara Arthur Imogen Theo Ruth"
).split()
STAFF_LAST = (
    "Ellery Lakhani Wren Okafor Moss Quill Oduya Pryce Fenwick Marchetti Strand Adeyemi Birch "
    "Hollis Tate Lindqvist Mercer Cardew Amadi Penrose Dunmore Sandhu Harrow Whitcombe"
).split()
PLACES = (
    "Northmoor Eastleigh Westbury Southwold Fenby Harlow Kestrel Lyndon Marwood Oakhurst "
    "Redgate Stanmoor Thornby Underhill Valemoor Wexcombe"
).split()
WINGS = "Alder Birch Cedar Damson Elm Fir Hazel Juniper Larch Maple Oak Rowan Willow Yew".split()
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# Staff of a community team beyond its one Therapy Manager, as shares of the team.
TEAM_SHARES = {Role.CLINICIAN: 0.25, Role.TRAINEE: 0.10}


def split(total: int, parts: int) -> list[int]:
    """`total` shared as evenly as whole numbers allow over `parts`."""
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def prison_number(serial: int) -> str:
    """A unique NOMIS-format number (A1234BC) for each serial, scattered so that
    neighbours do not look alike (7919 is prime to 26³·10⁴, so the map is one-to-one)."""
    n = (serial * 7919 + 104729) % (26**3 * 10000)
    n, digits = divmod(n, 10000)
    n, first = divmod(n, 26)
    third, second = divmod(n, 26)
    return f"{LETTERS[first]}{digits:04d}{LETTERS[second]}{LETTERS[third % 26]}"


class Loader:
    """Buffers rows per model and writes them in bulk. A row is a dict of attnames;
    fields left out take their default (auto_now fields take the load's time)."""

    FLUSH_EVERY = 20000

    def __init__(self, now: datetime):
        self.now = now
        self.postgres = connection.vendor == "postgresql"
        self.buffers: dict[type[models.Model], list[dict]] = {}
        self.counts: dict[type[models.Model], int] = {}
        self.next_pk: dict[type[models.Model], int] = {}

    def ids(self, model, count: int) -> range:
        """`count` fresh primary keys for `model`, above any row already there."""
        if model not in self.next_pk:
            self.next_pk[model] = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        start = self.next_pk[model]
        self.next_pk[model] += count
        return range(start, start + count)

    def id(self, model) -> int:
        return self.ids(model, 1)[0]

    def add(self, model, **row) -> None:
        buffer = self.buffers.setdefault(model, [])
        buffer.append(row)
        if len(buffer) >= self.FLUSH_EVERY:
            self._write(model, buffer)
            self.buffers[model] = []

    def finish(self) -> dict[str, int]:
        """Write what is buffered, move the id sequences past the new rows, and return
        the rows written per table."""
        for model, buffer in self.buffers.items():
            if buffer:
                self._write(model, buffer)
        self.buffers = {}
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(self.next_pk)):
                cursor.execute(sql)
        return {model._meta.db_table: count for model, count in self.counts.items()}

    def _write(self, model, rows: list[dict]) -> None:
        with_pk = model._meta.pk.attname in rows[0]
        fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        values = [[self._value(f, row) for f in fields] for row in rows]
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with connection.cursor() as cursor:
            if self.postgres:
                self._copy(cursor, table, columns, values)
            else:
                prepared = [
                    [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]
                    for row in values
                ]
                placeholders = ", ".join(["%s"] * len(fields))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                    prepared,
                )
        self.counts[model] = self.counts.get(model, 0) + len(rows)

    def _value(self, field, row):
        if field.attname in row:
            return row[field.attname]
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        return field.get_default()

    @staticmethod
    def _copy(cursor, table, columns, values) -> None:
        text = io.StringIO()
        writer = csv.writer(text)
        for row in values:
            writer.writerow([_csv(v) for v in row])
        text.seek(0)
        cursor.cursor.copy_expert(
            f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", text
        )


def _csv(value):
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | dict):
        return json.dumps(value)
    return value


@dataclass
class Team:
    """A community and the staff who hold each role on it, by user id."""

    pk: int
    cluster_id: int
    review_interval_months: int
    minimum_stay_months: int
    staff: dict[str, list[int]] = field(default_factory=dict)
    # Filled in by residents.scale: the residents' plans, and the small groups' ids by name.
    residents: list = field(default_factory=list)
    small_groups: dict[str, int] = field(default_factory=dict)

    @property
    def tm(self) -> int:
        return self.staff[Role.THERAPY_MANAGER][0]


@dataclass
class Estate:
    """What one app's part of the load tells the next."""

    sizes: dict[str, int]
    rng: random.Random
    today: date
    load: Loader
    teams: list[Team] = field(default_factory=list)
    heads: dict[int, int] = field(default_factory=dict)  # cluster id -> HoP user id
    serial: int = 0  # prison numbers handed out
    years: int = YEARS  # how far back the records go

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def at(self, day: date, hour: int = 10) -> datetime:
        """A time on `day` in the load's time zone."""
        return self.load.now.replace(
            year=day.year, month=day.month, day=day.day, hour=hour, minute=0, second=0
        )

    def next_prison_number(self) -> str:
        self.serial += 1
        return prison_number(self.serial)

    def per_team(self, size: str) -> list[int]:
        return split(self.sizes[size], len(self.teams))


def seed(estate: Estate) -> None:
    """Clusters, establishments, communities, and the staff with their role groups."""
    sizes, rng, load = estate.sizes, estate.rng, estate.load
    password = make_password(SCALE_PASSWORD)  # hashed once: the slow hasher, not two thousand times
    community_perms = dict(
        Permission.objects.filter(
            content_type__app_label="dtc", content_type__model="community"
        ).values_list("codename", "pk")
    )

    def person(username: str, role: str) -> int:
        pk = load.id(User)
        load.add(
            User,
            id=pk,
            username=username,
            password=password,
            first_name=rng.choice(STAFF_FIRST),
            last_name=rng.choice(STAFF_LAST),
            email=f"{username}@scale.invalid",
            date_joined=load.now - timedelta(days=rng.randint(30, 365 * estate.years)),
        )
        discipline, body = {
            Role.OFFICER: (Discipline.OPERATIONAL, ""),
            Role.CLINICIAN: rng.choice(
                [
                    (Discipline.PSYCHOLOGY, ProfessionalBody.HCPC),
                    (Discipline.PSYCHOTHERAPY, ProfessionalBody.UKCP),
                    (Discipline.PSYCHOTHERAPY, ProfessionalBody.BACP),
                    (Discipline.NURSING, ProfessionalBody.HCPC),
                ]
            ),
            Role.AUDITOR: (Discipline.PSYCHOTHERAPY, ""),
        }.get(role, (Discipline.PSYCHOTHERAPY, ProfessionalBody.UKCP))
        load.add(
            StaffProfile,
            id=load.id(StaffProfile),
            user_id=pk,
            job_title=Role(role).label,
            discipline=discipline,
            professional_body=body,
            registration_number=str(100000 + pk) if body else "",
            # Mostly current; some due within the notice period and a few lapsed.
            registration_renewal_date=estate.today + timedelta(days=rng.randint(-30, 720))
            if body
            else None,
        )
        return pk

    def assign(user_id: int, role: str, **scope) -> None:
        load.add(
            RoleAssignment,
            id=load.id(RoleAssignment),
            user_id=user_id,
            role=role,
            started_at=load.now - timedelta(days=rng.randint(1, 365 * estate.years)),
            **scope,
        )

    # Role groups: one per community and role, holding that role's object permissions.
    groups: dict[tuple[int, str], int] = {}

    def join(user_id: int, community_id: int, role: str) -> None:
        key = (community_id, role)
        if key not in groups:
            groups[key] = load.id(Group)
            load.add(Group, id=groups[key], name=permissions.role_group_name(community_id, role))
            for codename in permissions.ROLE_PERMISSIONS[role]:
                load.add(
                    CommunityGroupObjectPermission,
                    id=load.id(CommunityGroupObjectPermission),
                    group_id=groups[key],
                    permission_id=community_perms[codename],
                    content_object_id=community_id,
                )
        load.add(User.groups.through, user_id=user_id, group_id=groups[key])

    establishment_index = community_index = 0
    establishments_per_cluster = split(sizes["establishments"], sizes["clusters"])
    communities_per_establishment = split(sizes["communities"], sizes["establishments"])
    hops = sizes["clusters"]
    auditors = sizes["establishments"]
    team_sizes = split(sizes["staff"] - hops - auditors, sizes["communities"])
    for cluster_number, establishment_count in enumerate(establishments_per_cluster, start=1):
        cluster_id = load.id(Cluster)
        load.add(Cluster, id=cluster_id, name=f"Scale cluster {cluster_number}")
        hop = estate.heads[cluster_id] = person(f"hop.{cluster_number}", Role.HEAD_OF_PSYCHOTHERAPY)
        assign(hop, Role.HEAD_OF_PSYCHOTHERAPY, cluster_id=cluster_id)
        for _ in range(establishment_count):
            establishment_id = load.id(Establishment)
            place = PLACES[establishment_index % len(PLACES)]
            round_ = establishment_index // len(PLACES)
            load.add(
                Establishment,
                id=establishment_id,
                cluster_id=cluster_id,
                name=f"HMP {place}" + (f" {round_ + 1}" if round_ else ""),
                code=_code(establishment_index),
            )
            establishment_index += 1
            auditor = person(f"auditor.{establishment_index:02d}", Role.AUDITOR)
            for wing in range(communities_per_establishment[establishment_index - 1]):
                community_id = load.id(Community)
                team = Team(
                    pk=community_id,
                    cluster_id=cluster_id,
                    review_interval_months=rng.choice([3, 6, 6]),
                    minimum_stay_months=18,
                )
                load.add(
                    Community,
                    id=community_id,
                    establishment_id=establishment_id,
                    name=WINGS[wing % len(WINGS)]
                    + (f" {wing // len(WINGS) + 1}" if wing >= len(WINGS) else ""),
                    # Beds for the current residents the sizes ask for, and a few to spare.
                    capacity=max(1, -(-sizes["current_residents"] // sizes["communities"]))
                    + rng.randint(0, 4),
                    review_interval_months=team.review_interval_months,
                    minimum_stay_months=team.minimum_stay_months,
                )
                estate.teams.append(team)
                join(hop, community_id, Role.HEAD_OF_PSYCHOTHERAPY)
                assign(auditor, Role.AUDITOR, community_id=community_id)
                join(auditor, community_id, Role.AUDITOR)
                slug = f"{community_index + 1:02d}"
                for role, count in _team(team_sizes[community_index]).items():
                    team.staff[role] = []
                    for number in range(1, count + 1):
                        username = f"{role}.{slug}" + (
                            f".{number}" if role != Role.THERAPY_MANAGER else ""
                        )
                        user_id = person(username, role)
                        assign(user_id, role, community_id=community_id)
                        join(user_id, community_id, role)
                        team.staff[role].append(user_id)
                community_index += 1


def _team(size: int) -> dict[str, int]:
    """How many of each role a community team of `size` has: one Therapy Manager, and
    at least one of every other role."""
    clinicians = max(1, round(size * TEAM_SHARES[Role.CLINICIAN]))
    trainees = max(1, round(size * TEAM_SHARES[Role.TRAINEE]))
    return {
        Role.THERAPY_MANAGER: 1,
        Role.CLINICIAN: clinicians,
        Role.TRAINEE: trainees,
        Role.OFFICER: max(1, size - 1 - clinicians - trainees),
    }


def _code(index: int) -> str:
    """A unique three-letter prison code per establishment (4099 is prime to 26³)."""
    n = (index * 4099 + 1) % 26**3
    return LETTERS[n // 676] + LETTERS[n // 26 % 26] + LETTERS[n % 26]
