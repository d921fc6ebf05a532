"""A throwaway PostgreSQL cluster for the tests and the benchmarks: ``initdb`` into a temporary folder,
listening on a Unix socket in that folder only (no TCP port), started as an unprivileged user when this
process is root (PostgreSQL refuses to run as root), stopped and removed at the end.

Logins use passwords (scram-sha-256), as a council's server would, so the wrong-password sentence is
tested against the real thing. ``fsync`` is off: the cluster is thrown away, and it makes creating a
database from a template (one per test) fast.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

ADMIN, ADMIN_PASSWORD = "lgf_admin", "admin's throwaway p@ss/word"
PG_BINARIES = [Path("/usr/lib/postgresql") / v / "bin" for v in ("17", "16", "15", "14", "13")]


def find_binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl`` (Debian keeps them out of $PATH), or None."""
    for folder in PG_BINARIES:
        if (folder / "initdb").exists():
            return folder
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class Cluster:
    """``durable=False`` (the tests): fsync and synchronous commit off, the cluster being thrown away;
    ``durable=True`` (the benchmarks): PostgreSQL's defaults, a commit waiting for its WAL on disk, as
    SQLite's ``synchronous=FULL`` does."""

    def __init__(self, durable: bool = False) -> None:
        self.durable = durable
        binaries = find_binaries()
        if binaries is None:
            raise RuntimeError("PostgreSQL is not installed (initdb not found)")
        self.bin = binaries
        self.folder = Path(tempfile.mkdtemp(prefix="lgf-pg-"))
        self.data = self.folder / "data"
        self._user = "nobody" if os.geteuid() == 0 else None
        if self._user:
            entry = pwd.getpwnam(self._user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        os.chmod(self.folder, 0o755)
        self.started = False

    def _run(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(self._as_owner(args), check=True, capture_output=True, text=True, cwd=self.folder, **kwargs)

    def _sweep_orphans(self) -> None:
        """Stop and remove clusters whose test run died without stopping them (killed mid-run)."""
        for folder in Path(tempfile.gettempdir()).glob("lgf-pg-*"):
            try:
                owner = int((folder / "owner").read_text())
                os.kill(owner, 0)
                continue  # its run is alive
            except ProcessLookupError:
                pass
            except (OSError, ValueError):
                continue  # not ours to judge (no owner written yet, or another user's)
            if (folder / "data" / "postmaster.pid").exists():
                subprocess.run(self._as_owner([self.bin / "pg_ctl", "-D", folder / "data", "-m", "immediate", "stop"]),
                               capture_output=True)
            shutil.rmtree(folder, ignore_errors=True)

    def _as_owner(self, args) -> list[str]:
        command = [str(a) for a in args]
        if self._user:
            command = ["setpriv", f"--reuid={self._user}", f"--regid={pwd.getpwnam(self._user).pw_gid}",
                       "--clear-groups", "--"] + command
        return command

    def start(self) -> Cluster:
        self._sweep_orphans()
        (self.folder / "owner").write_text(str(os.getpid()))
        password_file = self.folder / "pw"
        password_file.write_text(ADMIN_PASSWORD + "\n")
        if self._user:
            entry = pwd.getpwnam(self._user)
            os.chown(password_file, entry.pw_uid, entry.pw_gid)
        self._run(self.bin / "initdb", "-D", self.data, "-U", ADMIN, "--pwfile", password_file,
                  "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", *(() if self.durable else ("--no-sync",)))
        password_file.unlink()
        fast = "" if self.durable else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        self._options = (f"-k {self.folder} -c listen_addresses='' {fast}-c max_connections=200 "
                         "-c shared_buffers=32MB")
        self.resume()
        self.started = True
        return self

    def url(self, database: str = "postgres", user: str = ADMIN, password: str | None = ADMIN_PASSWORD) -> str:
        login = f"{quote(user)}:{quote(password, safe='')}" if password is not None else quote(user)
        return f"postgresql://{login}@/{database}?host={self.folder}"

    def admin(self, sql: str, database: str = "postgres") -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            cursor = conn.execute(sql)
            return cursor.fetchall() if cursor.description else []

    def pause(self) -> None:
        """Stop the server (every connection drops) until ``resume``: a server going away mid-work."""
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.folder / "log", "-o", self._options, "-w", "start")

    def stop(self) -> None:
        if self.started:
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "immediate", "stop")
            self.started = False
        shutil.rmtree(self.folder, ignore_errors=True)
