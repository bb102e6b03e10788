"""The backup-and-restore drill (README.md, "Backup and restore"): bin/backup dumps the
database, bin/restore loads the dump into a fresh database, and every table there —
the change-history tables included — holds exactly the rows of the source."""

import os
import subprocess
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone

from referrals import services as referrals
from residents import services as residents
from residents.models import AttendanceStatus, DocumentKind, IncidentKind, Seriousness
from supervision import services as supervision
from supervision.models import SessionType
from tests.referrals.factories import ReferralFactory, accepted, at_decision, default_criteria

ROOT = Path(__file__).resolve().parent.parent
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="bin/backup and bin/restore are for PostgreSQL (pg_dump); set DATABASE_URL to run",
)


def url(name: str) -> str:
    """The test database server's URL, for the database `name`."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(str(db['PASSWORD']), safe='')}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or ''}{port}/{name}"


def run(*command, database=None):
    env = {**os.environ, "DATABASE_URL": url(database or connection.settings_dict["NAME"])}
    return subprocess.run(  # noqa: S603 - the project's own scripts
        [str(ROOT / "bin" / command[0]), *command[1:]],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def build_records(cast):
    """A referral through to admission and one declined; the resident's attendance,
    an incident and a signed-off, amended document; a supervision session with an
    agreed action — each through its service, so that each has its history rows."""
    today = timezone.localdate()
    default_criteria(cast.a, cast.tm_a)
    admitted = accepted(ReferralFactory(community=cast.a, prison_number="D1234EF"), cast.tm_a)
    resident = referrals.referral_admit(referral=admitted, by=cast.tm_a, admitted_on=today)
    declined = at_decision(ReferralFactory(community=cast.a), cast.tm_a)
    referrals.referral_decline(referral=declined, by=cast.tm_a, reason="Not ready to engage.")
    session = residents.session_record(
        community=cast.a,
        group_type="community_meeting",
        small_group=None,
        held_on=today,
        duration_minutes=60,
        facilitators=[cast.officer_a, cast.clinician_a],
        by=cast.officer_a,
    )
    residents.attendance_record(
        session=session, marks={resident.pk: AttendanceStatus.PRESENT}, by=cast.officer_a
    )
    residents.attendance_record(
        session=session,
        marks={resident.pk: residents.Mark(AttendanceStatus.EXCUSED, reason="Legal visit")},
        by=cast.clinician_a,
    )
    residents.incident_record(
        resident=resident,
        occurred_on=today,
        kind=IncidentKind.RULE_BREAK,
        seriousness=Seriousness.LOW,
        description="Late back from the servery; apologised to the community.",
        by=cast.officer_a,
    )
    document = residents.document_draft(
        resident=resident,
        kind=DocumentKind.CASE_NOTE,
        title="Case note after his first community meeting",
        body="Quiet, but stayed for the whole meeting.",
        due_on=None,
        by=cast.clinician_a,
    )
    residents.document_submit(document=document, by=cast.clinician_a)
    residents.document_sign_off(document=document, by=cast.tm_a)
    residents.document_amend(
        document=document,
        text="He also asked to join the gardening group.",
        reason="Left out of the first note.",
        by=cast.clinician_a,
    )
    held = supervision.session_record(
        community=cast.a,
        session_type=SessionType.INDIVIDUAL,
        supervisor=cast.tm_a,
        supervisees=[cast.clinician_a],
        held_on=today - timedelta(days=1),
        duration_minutes=60,
        notes="Talked through the new admission.",
        by=cast.tm_a,
    )
    supervision.action_add(
        session=held,
        description="Read the induction notes again",
        owner=cast.clinician_a,
        due_on=today + timedelta(days=14),
        by=cast.tm_a,
    )


PRIMARY_KEY = """
    SELECT a.attname FROM pg_index i
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
    WHERE i.indrelid = %s::regclass AND i.indisprimary
    ORDER BY array_position(i.indkey::int2[], a.attnum)
"""


def contents(cursor) -> dict[str, tuple[int, str]]:
    """Every table of the public schema: (rows, md5 of the rows in primary-key order),
    computed in SQL; and every sequence's last value."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    found = {}
    for (table,) in cursor.fetchall():
        cursor.execute(PRIMARY_KEY, [f'"{table}"'])
        key = [f't."{column}"' for (column,) in cursor.fetchall()] or ["t::text"]
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY {', '.join(key)}), ''))"  # noqa: S608 - names read from the catalogue
            f' FROM "{table}" t'
        )
        found[table] = cursor.fetchone()
    cursor.execute(
        "SELECT 'sequence ' || sequencename, last_value FROM pg_sequences "
        "WHERE schemaname = 'public' ORDER BY 1"
    )
    found.update({name: (value, "") for name, value in cursor.fetchall()})
    return found


def connect(name: str):
    """A connection of its own to the database `name` on the test database's server."""
    db = connection.settings_dict
    return psycopg2.connect(
        dbname=name, user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"]
    )


def drop(name: str) -> None:
    server = connect("postgres")
    try:
        server.autocommit = True
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        server.close()


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restored_backup_holds_every_row_of_every_table(cast, tmp_path):
    build_records(cast)
    restored = f"{connection.settings_dict['NAME']}_restored_{os.getpid()}".lower()

    backup = run("backup", str(tmp_path))
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip())
    assert dump.parent == tmp_path and dump.name.endswith(".dump") and dump.stat().st_size
    try:
        restore = run("restore", str(dump), restored)
        assert restore.returncode == 0, restore.stderr

        with connection.cursor() as cursor:
            source = contents(cursor)
        copy = connect(restored)
        try:
            with copy.cursor() as cursor:
                target = contents(cursor)
                # The comparison notices one changed character in one history row.
                cursor.execute(
                    "UPDATE residents_historicalincident SET description = description || '.'"
                )
                changed = contents(cursor)["residents_historicalincident"]
        finally:
            copy.close()
    finally:
        drop(restored)

    assert sorted(target) == sorted(source)
    assert {t: c for t, c in target.items() if c != source[t]} == {}
    assert changed[0] == source["residents_historicalincident"][0]
    assert changed[1] != source["residents_historicalincident"][1]
    assert len(source) > 100  # every app's tables, not a handful
    # What the drill is for: the records and their change history came back.
    for table in [
        "referrals_referral",
        "referrals_historicalreferral",
        "residents_historicalresident",
        "residents_historicalattendance",
        "residents_historicalincident",
        "residents_historicalclinicaldocument",
        "supervision_historicalsupervisionsession",
    ]:
        assert source[table][0] > 0, table


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_database_that_holds_anything(cast, tmp_path):
    backup = run("backup", str(tmp_path))
    assert backup.returncode == 0, backup.stderr
    with connection.cursor() as cursor:
        before = contents(cursor)

    restore = run("restore", backup.stdout.strip(), connection.settings_dict["NAME"])

    assert restore.returncode == 1
    assert "exists and is not empty" in restore.stderr
    with connection.cursor() as cursor:
        assert contents(cursor) == before


def test_backup_refuses_a_database_that_is_not_postgresql(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    backup = subprocess.run(  # noqa: S603
        [str(ROOT / "bin" / "backup"), str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert backup.returncode == 2
    assert "not a PostgreSQL database" in backup.stderr
    assert list(tmp_path.iterdir()) == []
