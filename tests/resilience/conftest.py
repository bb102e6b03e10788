"""What the resilience tests share: a Redis of their own on a free port (never the
machine's shared one), so that a test can stop it and start it again; the service's
configuration as dtc/settings.py builds it from the environment; bounded waits; and
subprocesses that are always stopped."""

import os
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, *, timeout: float, what: str, log: Path | None = None):
    """predicate()'s first truthy value, polled for at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    tail = f"\n--- {log}:\n{log.read_text()[-4000:]}" if log and log.exists() else ""
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}{tail}")


def stop_process(process: subprocess.Popen | None, *, timeout: float = 10) -> None:
    """Stop a process this test started, and its children (each is its own group)."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        pass


def start_process(command: list[str], *, log: Path, env: dict | None = None) -> subprocess.Popen:
    """A subprocess in a group of its own (so that its children stop with it), logging to `log`."""
    with log.open("ab") as output:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def service_settings(**env: str) -> dict:
    """dtc/settings.py read afresh with these variables: what the service runs with."""
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        return runpy.run_path(str(ROOT / "dtc" / "settings.py"))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class RedisServer:
    """A redis-server of the test's own, started and stopped on one port."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.log = directory / "redis.log"
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)

    def is_up(self) -> bool:
        try:
            return self.client().ping()
        except redis.RedisError:
            return False

    def start(self) -> None:
        self.process = start_process(
            [
                *("redis-server", "--bind", "127.0.0.1", "--port", str(self.port)),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            log=self.log,
        )
        wait_for(self.is_up, timeout=10, what=f"redis-server on port {self.port}", log=self.log)

    def stop(self, *, keep_data: bool = False) -> None:
        """keep_data: saved to the folder and loaded again by start(), as when Redis was
        only out of reach."""
        if keep_data:
            try:
                self.client().shutdown(save=True)
            except redis.ConnectionError:
                pass  # the connection closes as Redis exits
            self.process.wait(timeout=10)
        stop_process(self.process)
        wait_for(lambda: not self.is_up(), timeout=10, what="redis-server to stop")


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        stop_process(server.process)


@contextmanager
def broker(url: str):
    """This process's Celery sends to `url`, configured as the service would be."""
    from kombu import pools

    from dtc.celery import app

    configured = service_settings(REDIS_URL=url)
    changes = {
        "broker_url": url,
        "task_always_eager": False,
        "broker_transport_options": configured["CELERY_BROKER_TRANSPORT_OPTIONS"],
        "broker_connection_timeout": configured["CELERY_BROKER_CONNECTION_TIMEOUT"],
        "task_publish_retry_policy": configured["CELERY_TASK_PUBLISH_RETRY_POLICY"],
    }
    saved = {name: app.conf[name] for name in changes}

    def reconnect():
        # Celery keeps its connection pools once made: new ones for the new URL.
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        # kombu keeps a registry of producer pools per connection URL for the whole
        # process: one left holding the closed pool would fail the next task sent.
        pools.reset()

    app.conf.update(changes)
    reconnect()
    try:
        yield
    finally:
        app.conf.update(saved)
        reconnect()
