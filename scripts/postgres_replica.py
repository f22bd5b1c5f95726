"""A throwaway PostgreSQL primary and its streaming replica on 127.0.0.1, for tests and trials.

Never the system's server: a primary is created with `initdb` in a temporary directory on a free
port, loaded (optionally) from a `pg_dump` of another database, and a hot standby is made from
it with `pg_basebackup --write-recovery-conf` on another free port, streaming from it. The
server programs run as the `postgres` user when this runs as root (PostgreSQL refuses root).

    with replica_pair(copy_of="postgresql://postgres@127.0.0.1:5432/meis", name="meis") as pair:
        pair.primary_url, pair.replica_url   # postgresql://postgres@127.0.0.1:<port>/meis

From a shell: `scripts/postgres-replica [SOURCE_URL]` prints both URLs (set DATABASE_URL and
DATABASE_REPLICA_URL to them) and serves until Ctrl-C.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


class ReplicaUnavailable(RuntimeError):
    """PostgreSQL's server programs are not installed or a server did not start."""


@dataclass(frozen=True)
class ReplicaPair:
    primary_port: int
    replica_port: int
    name: str

    @property
    def primary_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.primary_port}/{self.name}"

    @property
    def replica_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.replica_port}/{self.name}"


def server_bin() -> Path:
    """The newest installed PostgreSQL's server programs (Debian: /usr/lib/postgresql/N/bin)."""
    configured = os.environ.get("POSTGRES_BIN")
    if configured:
        return Path(configured)
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True
    )
    for candidate in versions:
        if (candidate / "initdb").exists():
            return candidate
    raise ReplicaUnavailable("No PostgreSQL server programs (initdb) under /usr/lib/postgresql.")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _run(command: list[str], **kwargs: object) -> None:
    done = subprocess.run(  # noqa: S603 — PostgreSQL's own programs, our arguments
        _as_server_user(command), capture_output=True, text=True, check=False, **kwargs
    )
    if done.returncode != 0:
        raise ReplicaUnavailable(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _start(bin_dir: Path, data: Path, port: int, log: Path) -> None:
    _run(
        [
            str(bin_dir / "pg_ctl"),
            "--wait",
            "--timeout=60",
            "--pgdata",
            str(data),
            "--log",
            str(log),
            "--options",
            f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={data}",
            "start",
        ]
    )


def _stop(bin_dir: Path, data: Path) -> None:
    with contextlib.suppress(ReplicaUnavailable, OSError):
        _run([str(bin_dir / "pg_ctl"), "--pgdata", str(data), "--mode=immediate", "stop"])


def _libpq(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


@contextlib.contextmanager
def replica_pair(*, name: str = "meis", copy_of: str | None = None) -> Iterator[ReplicaPair]:
    """A primary with database `name` (a copy of the database `copy_of` names, if given) and a
    streaming replica of it, both stopped and deleted on leaving."""
    bin_dir = server_bin()
    root = Path(tempfile.mkdtemp(prefix="meis-replica-"))
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        os.chown(root, postgres.pw_uid, postgres.pw_gid)
    primary, replica = root / "primary", root / "replica"
    started: list[Path] = []
    try:
        # initdb's own pg_hba.conf lets local connections replicate (trust): nothing to edit.
        _run([str(bin_dir / "initdb"), "--pgdata", str(primary), "--username", "postgres",
              "--auth", "trust", "--no-sync", "--encoding", "UTF8", "--locale", "C"])  # fmt: skip
        primary_port = _free_port()
        _start(bin_dir, primary, primary_port, root / "primary.log")
        started.append(primary)
        pair = ReplicaPair(primary_port, 0, name)
        _run(["createdb", "-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres", name])
        if copy_of:
            _copy(copy_of, pair.primary_url)
        _run([str(bin_dir / "pg_basebackup"), "--host", "127.0.0.1", "--port", str(primary_port),
              "--username", "postgres", "--pgdata", str(replica), "--write-recovery-conf",
              "--wal-method", "stream", "--checkpoint", "fast"])  # fmt: skip
        replica_port = _free_port()
        _start(bin_dir, replica, replica_port, root / "replica.log")
        started.append(replica)
        pair = ReplicaPair(primary_port, replica_port, name)
        _wait_streaming(pair)
        yield pair
    finally:
        for data in reversed(started):
            _stop(bin_dir, data)
        shutil.rmtree(root, ignore_errors=True)


def _copy(source: str, target: str) -> None:
    """The source database's schema and rows into the (empty) target, with pg_dump | psql."""
    dump = subprocess.Popen(  # noqa: S603 — PostgreSQL's own tool
        ["pg_dump", "--no-owner", "--no-privileges", "--dbname", _libpq(source)],  # noqa: S607
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    load = subprocess.run(  # noqa: S603 — PostgreSQL's own tool
        ["psql", "--quiet", "--set", "ON_ERROR_STOP=1", "--dbname", _libpq(target)],  # noqa: S607
        stdin=dump.stdout,
        capture_output=True,
        check=False,
    )
    _, dump_errors = dump.communicate()
    if dump.returncode or load.returncode:
        raise ReplicaUnavailable(
            f"copying {urlsplit(source).path} failed: "
            f"{(dump_errors or load.stderr).decode(errors='replace')[-2000:]}"
        )


def _wait_streaming(pair: ReplicaPair, timeout: float = 60) -> None:
    """Until the primary reports the replica streaming (then the standby answers reads)."""
    import psycopg

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(psycopg.OperationalError):
            with psycopg.connect(pair.primary_url, autocommit=True) as primary:
                row = primary.execute(
                    "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
                ).fetchone()
            if row and row[0]:
                return
        time.sleep(0.2)
    raise ReplicaUnavailable("The replica did not start streaming within a minute.")


def replica_caught_up(pair: ReplicaPair, timeout: float = 30) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    import psycopg

    with psycopg.connect(pair.primary_url, autocommit=True) as primary:
        target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    deadline = time.monotonic() + timeout
    with psycopg.connect(pair.replica_url, autocommit=True) as replica:
        while time.monotonic() < deadline:
            done = replica.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
            ).fetchone()[0]
            if done:
                return
            time.sleep(0.1)
    raise ReplicaUnavailable("The replica did not catch up within the time allowed.")


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    source = args[0] if args else None
    name = urlsplit(source).path.lstrip("/") if source else "meis"
    with replica_pair(name=name, copy_of=source) as pair:
        primary = pair.primary_url.replace("postgresql://", "postgres://", 1)
        replica = pair.replica_url.replace("postgresql://", "postgres://", 1)
        sys.stdout.write(f"DATABASE_URL={primary}\nDATABASE_REPLICA_URL={replica}\n")
        sys.stdout.write("Serving the primary and its replica until Ctrl-C.\n")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            signal.sigwait({signal.SIGINT, signal.SIGTERM})


if __name__ == "__main__":
    main()
