"""Does the service at a URL answer? For `make status` with CKAN_SQLALCHEMY_URL
or CKAN_REDIS_URL set. Usage: python scripts/service_status.py postgres|redis URL

Prints one line (the URL without its password, and what answered) and exits
0 when the service answers, 1 otherwise. Runs with the project's virtualenv,
which has CKAN's own drivers (psycopg2, redis).
"""

from __future__ import annotations

import re
import sys
from urllib.parse import urlsplit, urlunsplit


def redact(url: str) -> str:
    """The URL with its password replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def postgres(url: str) -> str:
    import psycopg2

    dsn = re.sub(r"^postgres(ql)?\+\w+://", "postgresql://", url)  # SQLAlchemy's +driver
    with psycopg2.connect(dsn, connect_timeout=5) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_setting('server_version')")
        database, version = cursor.fetchone()
    conn.close()
    return f"database {database} answers (PostgreSQL {version})"


def redis(url: str) -> str:
    import redis as redis_client

    client = redis_client.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
    client.ping()
    database = client.connection_pool.connection_kwargs.get("db", 0)
    return f"answers (db {database}, {client.dbsize()} keys)"


def main(kind: str, url: str) -> int:
    check = {"postgres": postgres, "redis": redis}[kind]
    try:
        print(f"{redact(url)} {check(url)}")
    except Exception as error:  # any failure means "does not answer"
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"{redact(url)} does not answer: {reason}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
