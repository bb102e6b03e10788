"""PostgreSQL restarted under the running service: while it is down, requests fail
cleanly and quickly (a 500 page, /healthz 503); once it is back they succeed without a
restart of the web process (Django's connection health checks replace the connection
the restart broke). The cluster is the test's own: initdb into a temporary folder and
pg_ctl on a free port, run as the postgres user (PostgreSQL refuses to run as root);
the service runs under gunicorn, as deployed."""

import os
import shutil
import subprocess
import tempfile
import time
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest

from .conftest import PYTHON, ROOT, free_port, start_process, stop_process, wait_for

PG_BINS = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
PASSWORD = "a-long-enough-password-for-this-test"  # noqa: S105
QUICKLY = 5  # seconds: a request while the database is down must not hang past this


class PostgresCluster:
    def __init__(self, directory: Path):
        self.bin = PG_BINS[-1].parent
        self.directory = directory
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/dtc"

    def _run(self, program: str, *args: str) -> None:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            [*as_postgres, str(self.bin / program), *args],
            cwd=self.directory,
            check=True,
            capture_output=True,
            timeout=60,
        )

    def create(self) -> None:
        self._run("initdb", "-D", "data", "-U", "postgres", "--auth=trust", "--no-sync")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "dtc")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl", "-D", "data", "-l", "server.log", "-w", "-t", "30", "-o", options, "start"
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", "data", "-m", "fast", "-w", "-t", "30", "stop")


@pytest.fixture
def cluster():
    if not PG_BINS or (os.geteuid() == 0 and not shutil.which("runuser")):
        pytest.skip("the PostgreSQL server binaries are not installed")
    # Not pytest's tmp_path: its parents are closed to the postgres user.
    directory = Path(tempfile.mkdtemp(prefix="dtc-resilience-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    cluster = PostgresCluster(directory)
    try:
        cluster.create()
        yield cluster
    finally:
        try:
            cluster.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def service(cluster, tmp_path):
    """The service under gunicorn on the test's cluster, with a member of staff to sign in."""
    env = {
        "DATABASE_URL": cluster.url,
        "REDIS_URL": "",  # the embedded cache and eager tasks: only the database is tested
        "DJANGO_DEBUG": "0",  # the error pages a user sees, not Django's debug page
        "DTC_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DTC_MEDIA_ROOT": str(tmp_path / "media"),
    }
    manage = {"cwd": ROOT, "env": {**os.environ, **env}, "check": True, "timeout": 300}
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], **manage)
    subprocess.run(
        [
            *(PYTHON, "manage.py", "shell", "-c"),
            f"from dtc.models import User; User.objects.create_user('tm', password='{PASSWORD}')",
        ],
        **manage,
    )
    port = free_port()
    log = tmp_path / "gunicorn.log"
    web = start_process(
        [
            *(PYTHON, "-m", "gunicorn", "dtc.wsgi:application", "--bind", f"127.0.0.1:{port}"),
            *("--workers", "1", "--timeout", "30", "--access-logfile", "-"),
        ],
        log=log,
        env=env,
    )
    browser = Browser(f"http://127.0.0.1:{port}")
    try:
        wait_for(lambda: browser.get("/healthz")[0] == 200, timeout=30, what="gunicorn", log=log)
        browser.web, browser.log = web, log
        yield browser
    finally:
        stop_process(web)


class Browser:
    """A client with a cookie jar, as a signed-in member of staff's browser."""

    def __init__(self, base: str):
        self.base = base
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))

    def get(self, path: str, data: dict | None = None) -> tuple[int, str]:
        data = urlencode(data).encode() if data else None
        request = Request(self.base + path, data=data)  # noqa: S310 - our own http://127.0.0.1
        try:
            with self.opener.open(request, timeout=QUICKLY * 2) as response:
                return response.status, response.read().decode()
        except HTTPError as error:
            return error.code, error.read().decode()
        except URLError:
            return 0, ""

    def sign_in(self, username: str, password: str) -> None:
        _status, page = self.get("/sign-in/")
        token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        self.get(
            "/sign-in/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )


def timed(browser: Browser, path: str) -> tuple[int, str]:
    started = time.monotonic()
    answer = browser.get(path)
    assert time.monotonic() - started < QUICKLY, f"{path} hung while the database was down"
    return answer


def test_requests_fail_cleanly_while_postgresql_is_down_and_succeed_once_it_is_back(
    cluster, service
):
    service.sign_in("tm", PASSWORD)
    status, home = service.get("/")
    assert status == 200 and "Sign out" in home
    assert service.get("/sign-in/")[0] == 200

    cluster.stop()
    status, page = timed(service, "/")
    assert status == 500 and "Traceback" not in page
    # As a load balancer asks: no session cookie (a session needs the database to load).
    status, health = timed(Browser(service.base), "/healthz")
    assert status == 503 and '"database": "error' in health

    cluster.start()
    status, home = service.get("/")
    assert status == 200 and "Sign out" in home  # the same session, the same web process
    assert service.get("/healthz")[0] == 200
    assert service.get("/sign-in/")[0] in (200, 302)

    # Restarted between two requests: the next one finds its kept connection broken.
    cluster.stop()
    cluster.start()
    status, home = service.get("/")
    assert status == 200 and "Sign out" in home
    assert service.web.poll() is None  # never restarted
