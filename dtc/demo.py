"""Synthetic demo organisation: one cluster, two prisons, four communities and a staff
team in every role. No real people: names are made up and prisons are fictional."""

import zlib
from datetime import timedelta

from django.utils import timezone

from . import services
from .models import (
    Cluster,
    Community,
    Discipline,
    Establishment,
    ProfessionalBody,
    Role,
    RoleAssignment,
    StaffProfile,
    User,
)

DEMO_PASSWORD = "demo-dtc-2026"  # noqa: S105 - printed for the demo; seed_demo refuses production

COMMUNITIES = [
    # (establishment, code, community, capacity)
    ("HMP Greyfriars", "GYF", "Avon", 40),
    ("HMP Greyfriars", "GYF", "Brook", 30),
    ("HMP Ashdown", "ASD", "Cedar", 40),
    ("HMP Ashdown", "ASD", "Dove", 42),
]

# (first, last, discipline, body) per role slot, reused across communities by offset.
STAFF_NAMES = [
    ("Morgan", "Ellery"),
    ("Priya", "Lakhani"),
    ("Tomasz", "Wren"),
    ("Ayesha", "Okafor"),
    ("Declan", "Moss"),
    ("Hannah", "Quill"),
    ("Samuel", "Oduya"),
    ("Rhiannon", "Pryce"),
    ("Isaac", "Fenwick"),
    ("Leah", "Marchetti"),
    ("Owen", "Strand"),
    ("Grace", "Adeyemi"),
    ("Callum", "Birch"),
    ("Nadia", "Hollis"),
    ("Reuben", "Tate"),
    ("Freya", "Lindqvist"),
    ("Jonah", "Mercer"),
    ("Esme", "Cardew"),
    ("Victor", "Amadi"),
    ("Lois", "Penrose"),
    ("Kieran", "Dunmore"),
    ("Maya", "Sandhu"),
    ("Felix", "Harrow"),
    ("Zara", "Whitcombe"),
    ("Arthur", "Bellamy"),
    ("Imogen", "Rusk"),
    ("Theo", "Castell"),
    ("Ruth", "Ogundipe"),
]

TEAM = [
    # (role, username suffix, discipline, professional body)
    (Role.THERAPY_MANAGER, "tm", Discipline.PSYCHOTHERAPY, ProfessionalBody.UKCP),
    (Role.CLINICIAN, "clinician", Discipline.PSYCHOLOGY, ProfessionalBody.HCPC),
    (Role.CLINICIAN, "clinician2", Discipline.PSYCHOTHERAPY, ProfessionalBody.BACP),
    (Role.OFFICER, "officer", Discipline.OPERATIONAL, ""),
    (Role.OFFICER, "officer2", Discipline.OPERATIONAL, ""),
    (Role.TRAINEE, "trainee", Discipline.PSYCHOTHERAPY, ProfessionalBody.UKCP),
]


def staff_member(
    *, username, first_name, last_name, discipline, body="", renewal_in_days=400, job_title=""
):
    """A demo user with a profile; left as it is when it already exists."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        today = timezone.localdate()
        StaffProfile.objects.create(
            user=user,
            job_title=job_title,
            discipline=discipline,
            professional_body=body,
            registration_number=str(zlib.crc32(username.encode()) % 900000 + 100000)
            if body
            else "",
            registration_renewal_date=today + timedelta(days=renewal_in_days) if body else None,
        )
    return user


def ensure_role(user, role, scope):
    field = type(scope).__name__.lower()
    if not user.role_assignments.active().filter(role=role, **{field: scope}).exists():
        assignment = services.role_assign(user=user, role=role, scope=scope)
        # In post for two years, not since the seeding day: supervision compliance counts
        # only the periods since someone joined, and the demo has six months of it.
        RoleAssignment.objects.filter(pk=assignment.pk).update(
            started_at=timezone.now() - timedelta(days=730)
        )


def seed(stdout) -> list[tuple[str, str]]:
    """Create the organisation and staff; returns (username, what they are) to print."""
    cluster, _ = Cluster.objects.get_or_create(name="Southern Therapeutic Communities Cluster")
    communities = []
    for establishment_name, code, name, capacity in COMMUNITIES:
        establishment, _ = Establishment.objects.get_or_create(
            name=establishment_name, defaults={"code": code, "cluster": cluster}
        )
        community, _ = Community.objects.get_or_create(
            establishment=establishment, name=name, defaults={"capacity": capacity}
        )
        communities.append(community)

    logins = []
    hop = staff_member(
        username="hop",
        first_name="Helena",
        last_name="Marsh",
        discipline=Discipline.PSYCHOTHERAPY,
        body=ProfessionalBody.UKCP,
        job_title="Head of Psychotherapy",
    )
    ensure_role(hop, Role.HEAD_OF_PSYCHOTHERAPY, cluster)
    logins.append(("hop", f"Head of Psychotherapy, {cluster.name}"))

    names = iter(STAFF_NAMES)
    for index, community in enumerate(communities):
        for slot, (role, suffix, discipline, body) in enumerate(TEAM):
            first, last = next(names, (f"Staff{index}{slot}", community.name))
            username = f"{suffix}.{community.name.lower()}"
            # A spread of renewal dates: one lapsed, some due within 60 days.
            renewal_in_days = [25, 300, 500, 45, -12, 700][(index + slot) % 6]
            user = staff_member(
                username=username,
                first_name=first,
                last_name=last,
                discipline=discipline,
                body=body,
                renewal_in_days=renewal_in_days,
                job_title=role.label,
            )
            ensure_role(user, role, community)
            if suffix in {"tm", "clinician", "officer", "trainee"}:
                logins.append((username, f"{role.label}, {community.name}"))

    auditor = staff_member(
        username="auditor",
        first_name="Bernard",
        last_name="Ashcombe",
        discipline=Discipline.PSYCHOTHERAPY,
        job_title="Peer reviewer",
    )
    for community in communities[::2]:
        ensure_role(auditor, Role.AUDITOR, community)
    logins.append(("auditor", "Auditor, " + " and ".join(c.name for c in communities[::2])))

    services.registration_renewal_reminders(today=timezone.localdate())
    return logins
