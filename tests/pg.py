"""A throwaway PostgreSQL server for tests: ``initdb`` + ``pg_ctl`` in a temp dir (Debian's PostgreSQL 15).

``.ci/run`` starts one and exports ``CITYLENS_TEST_PG_URL``; a local run without it starts its own here. Tests
that need PostgreSQL fail, never skip, when neither works.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import uuid
from pathlib import Path

PG_URL_ENV = "CITYLENS_TEST_PG_URL"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; CI and these machines run as root.
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"  # /usr/sbin is not on every PATH
    return [runuser, "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class PostgresServer:
    """``start()`` a server on a free loopback port with trust auth for user ``citylens``; ``stop()`` it."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.data = self.root / "data"
        self.port = _free_port()

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://citylens@127.0.0.1:{self.port}/postgres"

    def start(self) -> "PostgresServer":
        for tool in ("initdb", "pg_ctl"):
            assert shutil.which(tool), f"{tool} not on PATH: install Debian's postgresql (15) or set {PG_URL_ENV}"
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        subprocess.run(_as_postgres(["initdb", "-D", str(self.data), "-U", "citylens", "--auth=trust", "-E", "UTF8"]),
                       check=True, capture_output=True, timeout=120)
        opts = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        subprocess.run(_as_postgres(["pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", opts, "-w",
                                     "start"]), check=True, capture_output=True, timeout=120)
        return self

    def stop(self) -> None:
        subprocess.run(_as_postgres(["pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop"]),
                       capture_output=True, timeout=120)


def create_database(server_url: str) -> str:
    """A new, empty database on the server of ``server_url``; returns its SQLAlchemy URL."""
    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:12]}"
    eng = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    eng.dispose()
    return sa.engine.make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, url: str) -> None:
    import sqlalchemy as sa

    name = sa.engine.make_url(url).database
    eng = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    eng.dispose()


def store_url_for(request, backend: str, directory: Path) -> str:
    """A store URL for a (module-scoped) fixture parametrized by backend: a SQLite file in ``directory``, or a
    fresh database on the test PostgreSQL server, dropped when ``request``'s scope ends."""
    if backend == "sqlite":
        return f"sqlite:///{Path(directory) / 'db.sqlite'}"
    assert backend == "postgresql", backend
    server = request.getfixturevalue("pg_server_url")
    url = create_database(server)
    request.addfinalizer(lambda: drop_database(server, url))  # after the fixture's own teardown closed the store
    return url


def main() -> None:  # pragma: no cover - used by .ci/run
    """``python -m tests.pg start DIR`` prints the URL; ``python -m tests.pg stop DIR`` stops it."""
    import sys

    action, root = sys.argv[1], Path(sys.argv[2])
    server = PostgresServer(root)
    if action == "start":
        server.start()
        (root / "port").write_text(str(server.port))
        print(server.url)
    else:
        server.port = int((root / "port").read_text())
        server.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
