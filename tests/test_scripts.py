"""`make status` reports on the services CKAN is told to use: the URLs of
CKAN_SQLALCHEMY_URL, CKAN_REDIS_URL and CKAN_SOLR_URL, and the project's Solr
on CDM_SOLR_PORT, never on the local defaults instead."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def status(script: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CKAN_", "CDM_"))}
    environment.update(env)
    process = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / script), "status"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # killed after 60 s by a timer, not by communicate(timeout=…): under
    # libfaketime (make test-dates) Python's timed sleeps fail with EINVAL
    deadline = threading.Timer(60, process.kill)
    deadline.start()
    try:
        stdout, stderr = process.communicate()
    finally:
        deadline.cancel()
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def test_postgres_status_checks_the_override_url_and_hides_its_password(ckan_config):
    url = ckan_config["sqlalchemy.url"]
    database = url.rsplit("/", 1)[1]
    up = status("postgres.sh", CKAN_SQLALCHEMY_URL=url)
    assert up.returncode == 0, up.stdout + up.stderr
    assert "PostgreSQL: up, CKAN_SQLALCHEMY_URL" in up.stdout
    assert f"database {database} answers" in up.stdout

    wrong = url.replace(database, "cdm_no_such_database")
    down = status("postgres.sh", CKAN_SQLALCHEMY_URL=wrong)
    assert down.returncode == 1
    assert "PostgreSQL: down" in down.stdout
    assert "cdm_no_such_database" in down.stdout
    password = url.split("://", 1)[1].split("@", 1)[0].partition(":")[2]
    if password:
        assert f":{password}@" not in down.stdout


def test_redis_status_checks_the_override_url(ckan_config):
    up = status("redis.sh", CKAN_REDIS_URL=ckan_config["ckan.redis.url"])
    assert up.returncode == 0, up.stdout + up.stderr
    assert "Redis: up, CKAN_REDIS_URL" in up.stdout

    port = free_port()  # the local Redis answers on 6379; this one does not
    down = status("redis.sh", CKAN_REDIS_URL=f"redis://127.0.0.1:{port}/3")
    assert down.returncode == 1
    assert f"Redis: down, CKAN_REDIS_URL redis://127.0.0.1:{port}/3" in down.stdout


def test_solr_status_checks_the_override_url_and_the_port(ckan_config):
    url = ckan_config["solr_url"]
    up = status("solr.sh", CKAN_SOLR_URL=url)
    assert up.returncode == 0, up.stdout + up.stderr
    assert f"Solr: {url} (CKAN_SOLR_URL) answers" in up.stdout

    missing = url.rsplit("/", 1)[0] + "/cdm_no_such_core"
    assert status("solr.sh", CKAN_SOLR_URL=missing).returncode == 1

    port = free_port()
    elsewhere = status("solr.sh", CDM_SOLR_PORT=str(port))
    assert elsewhere.returncode == 1
    assert f"http://127.0.0.1:{port}/solr/ckan" in elsewhere.stdout
