"""docker-compose.yml describes the deployment; no engine runs here, so the file's
services and wiring are checked as data (.ci/run also validates it with docker-compose)."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_five_services(compose):
    assert set(compose["services"]) == {"web", "worker", "beat", "db", "redis"}


def test_web_runs_migrations_then_gunicorn(compose):
    command = compose["services"]["web"]["command"]
    assert command.index("migrate") < command.index("gunicorn dtc.wsgi")


@pytest.mark.parametrize(
    ("service", "expected"), [("worker", "celery -A dtc worker"), ("beat", "celery -A dtc beat")]
)
def test_celery_processes(compose, service, expected):
    assert compose["services"][service]["command"].startswith(expected)


@pytest.mark.parametrize("service", ["web", "worker", "beat"])
def test_app_services_are_wired_to_postgresql_and_redis_in_production_mode(compose, service):
    environment = compose["services"][service]["environment"]
    assert environment["DTC_PRODUCTION"] == "1"
    assert (
        environment["DATABASE_URL"].startswith("postgres://")
        and "@db:5432/" in environment["DATABASE_URL"]
    )
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert "DJANGO_SECRET_KEY:?" in environment["DJANGO_SECRET_KEY"]


@pytest.mark.parametrize("service", ["web", "worker", "db", "redis"])
def test_services_have_health_checks(compose, service):
    assert compose["services"][service]["healthcheck"]["test"]


def test_web_waits_for_healthy_database_and_redis(compose):
    depends = compose["services"]["web"]["depends_on"]
    assert depends["db"]["condition"] == depends["redis"]["condition"] == "service_healthy"


def test_data_lives_in_named_volumes(compose):
    assert "pgdata" in compose["volumes"]
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]


def test_dockerfile_builds_the_assets_with_node_first():
    dockerfile = (ROOT / "Dockerfile").read_text()
    first_stage = dockerfile.split("FROM ")[1]
    assert first_stage.startswith("node:") and "npm ci" in first_stage
    assert "COPY --from=assets /app/node_modules" in dockerfile
