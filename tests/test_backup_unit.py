"""The nightly backup unit (bot/deploy/backcare-backup.service) run in its own sandbox.

systemd's ProtectSystem=strict mounts everything read-only except the unit's
StateDirectory=, so the database's directory is read-only and only the backups
directory is writable. The tests build the same mounts in a new mount namespace
(`unshare -m`; a read-only mount stops root too, unlike chmod) and run the unit's
own ExecStart= line in it (which also prunes old copies), with the bot running and stopped.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storage.db import open_db

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "bot" / "deploy"
UNIT = DEPLOY / "backcare-backup.service"
STATE = "/var/lib/backcare"


def unit_settings(path: Path) -> dict[str, list[str]]:
    """The [Service] section as key -> every value given for it."""
    settings: dict[str, list[str]] = {}
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line
            continue
        key, _, value = line.partition("=")
        if section == "[Service]":
            settings.setdefault(key, []).append(value)
    return settings


def can_unshare() -> bool:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


needs_unshare = pytest.mark.skipif(not can_unshare(), reason="needs root and unshare -m")


def in_unit_sandbox(state: Path, command: list[str], env: dict[str, str]):
    """Run `command` with the unit's mounts: /var/lib/backcare is `state`, read-only,
    except its StateDirectory= (backups), and the rest of the system read-only too."""
    unit = unit_settings(UNIT)
    assert unit["ProtectSystem"] == ["strict"]
    writable = [f"/var/lib/{name}" for value in unit["StateDirectory"] for name in value.split()]
    assert writable == [f"{STATE}/backups"]  # the database's own directory is not among them
    steps = [
        "set -e",
        "mount -t tmpfs tmpfs /var/lib",  # in this namespace only: the host is untouched
        f"mkdir -p {STATE}",
        f"mount --bind {shlex.quote(str(state))} {STATE}",
        *(f"mount --bind {path} {path}" for path in writable),
        f"mount -o remount,bind,ro {STATE}",
        "mount -o remount,bind,ro /",
        f"cd {unit['WorkingDirectory'][0]}",
        "exec " + shlex.join(command),
    ]
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", "\n".join(steps)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def unit_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BACKCARE_"))}
    env["PYTHONPATH"] = str(ROOT)
    for value in unit_settings(UNIT).get("Environment", []):
        key, _, setting = value.partition("=")
        env[key] = setting
    return env


def exec_line(key: str) -> list[str]:
    """The unit's ExecStart=, with our interpreter standing in for the venv."""
    (line,) = unit_settings(UNIT)[key]
    words = shlex.split(line)
    if words[0].endswith("/bin/backcare"):
        return [sys.executable, "-m", "bot", *words[1:]]
    return words


def add_users(db: sqlite3.Connection, first: int, count: int) -> None:
    db.executemany(
        "insert into users (id, language, created_at, last_seen_at, active)"
        " values (?, 'en', '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z', 1)",
        [(first + n,) for n in range(count)],
    )


@pytest.fixture
def state(tmp_path) -> Path:
    """What /var/lib/backcare holds: the database (3 people) and the backups directory."""
    state = tmp_path / "state"
    state.mkdir()
    (state / "backups").mkdir()
    db = open_db(state / "backcare.db")
    add_users(db.conn, 1, 3)
    db.close()
    return state


@needs_unshare
@pytest.mark.parametrize("bot", ["running", "stopped"])
def test_the_backup_unit_works_in_its_sandbox(state, bot):
    live = None
    if bot == "running":  # the bot holds the database open; its last writes are in the -wal
        live = sqlite3.connect(state / "backcare.db", isolation_level=None)
        live.execute("PRAGMA wal_autocheckpoint=0")
        add_users(live, 100, 2)
        assert (state / "backcare.db-wal").stat().st_size > 0
    old = state / "backups" / "backcare-20000101-033000.db"
    old.write_bytes(b"")
    os.utime(old, (946_700_000, 946_700_000))  # 2000: older than 14 days
    beside = sorted(p.name for p in state.iterdir())
    env = unit_env()
    try:
        result = in_unit_sandbox(state, exec_line("ExecStart"), env)
        assert result.returncode == 0, result.stderr
        assert "backed up" in result.stdout and "removed 1 backup(s)" in result.stdout
        stats = in_unit_sandbox(state, [sys.executable, "-m", "bot", "stats"], env)
        assert stats.returncode == 0, stats.stderr
        after = sorted(p.name for p in state.iterdir())
    finally:
        if live is not None:
            live.close()
    people = 5 if bot == "running" else 3
    assert f"people: {people} " in stats.stdout
    assert after == beside  # nothing was created beside the database
    (copy,) = (state / "backups").glob("backcare-*.db")
    assert copy != old and not old.exists()  # `backcare backup` removed the one past retention
    assert copy.stat().st_mode & 0o777 == 0o600
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("select count(*) from users").fetchone() == (people,)
    conn.close()


@needs_unshare
def test_the_sandbox_really_is_read_only(state):
    """The test's own check: in these mounts nothing can be written beside the database."""
    touch = ["touch", f"{STATE}/new-file"]
    result = in_unit_sandbox(state, touch, unit_env())
    assert result.returncode != 0 and "Read-only file system" in result.stderr
    assert not (state / "new-file").exists()
    assert in_unit_sandbox(state, ["touch", f"{STATE}/backups/x"], unit_env()).returncode == 0


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None or not can_unshare(),
    reason="needs systemd-analyze, root and unshare -m",
)
def test_systemd_accepts_the_units(tmp_path):
    # verify checks that ExecStart= exists: give it the installed entry point at the unit's
    # path, in a namespace of its own.
    (line,) = unit_settings(UNIT)["ExecStart"]
    binary = Path(shlex.split(line)[0])
    units = [DEPLOY / "backcare.service", UNIT, DEPLOY / "backcare-backup.timer"]
    script = "\n".join(
        [
            "set -e",
            f"mount -t tmpfs tmpfs /{binary.parts[1]}",
            f"mkdir -p {binary.parent}",
            f"ln -s {shlex.quote(str(Path(sys.executable).parent / 'backcare'))} {binary}",
            "exec systemd-analyze verify " + " ".join(shlex.quote(str(u)) for u in units),
        ]
    )
    result = subprocess.run(
        ["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
