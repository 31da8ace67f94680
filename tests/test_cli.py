"""The `backcare` command as a person or an operator runs it: real processes, real stand-in."""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.sim.client import SimUser
from bot.sim.harness import free_port
from bot.sim.server import BotApiServer
from storage.db import open_db

TOKEN = "123456:TEST-token-for-the-local-stand-in"


def backcare(
    *args: str, env: dict[str, str], cwd: Path, stdin: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=timeout,
    )


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BACKCARE_"))}
    keep["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    return keep


@pytest.mark.parametrize(
    ("settings", "needle"),
    [
        ({}, "TELEGRAM_BOT_TOKEN is not set"),
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "does not look like a bot token"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "BACKCARE_DB": "/no/such/dir/x.db"}, "does not exist"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "BACKCARE_DB": "/"}, "directory"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "BACKCARE_TICK_SECONDS": "soon"}, "TICK_SECONDS"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "BACKCARE_LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "BACKCARE_ADMIN_IDS": "me"}, "ADMIN_IDS"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "BACKCARE_BACKUP_KEEP_DAYS": "2 weeks"}, "KEEP_DAYS"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "BACKCARE_BACKUP_KEEP_DAYS": "0"}, "KEEP_DAYS"),
    ],
)
def test_bad_settings_exit_2_with_one_line(env, tmp_path, settings, needle):
    result = backcare("run", env={**env, **settings}, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]
    assert "Traceback" not in result.stderr


def test_dotenv_is_read_and_the_environment_wins(env, tmp_path):
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=junk\nBACKCARE_LOG_LEVEL=LOUD\n")
    result = backcare("run", env={**env, "BACKCARE_LOG_LEVEL": "INFO"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "does not look like a bot token" in result.stderr


def test_content_check_passes_on_the_shipped_content(env, tmp_path):
    result = backcare("content", "check", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "content OK" in result.stdout


def test_terminal_chat_reaches_the_menu(env, tmp_path):
    script = "1\n/menu\n/quit\n"
    result = backcare("chat", "--language", "en", env=env, cwd=tmp_path, stdin=script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "not a doctor" in out
    assert "1.1  Yes, keep my notes" in out
    assert "Thank you" in out
    assert out.count("What would you like to do?") >= 2
    assert (tmp_path / "backcare.db").stat().st_mode & 0o777 == 0o600


async def test_run_serves_the_stand_in_and_never_logs_the_token(env, tmp_path):
    server = BotApiServer(token=TOKEN)
    await server.start()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env={
            **env,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": server.base_url,
            "BACKCARE_DB": str(tmp_path / "bot.db"),
            "BACKCARE_LOG_LEVEL": "DEBUG",
        },
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        user = SimUser(server, 4242)
        await user.send("/start")
        await server.wait_for(lambda: "Yes, keep my notes" in user.buttons(), timeout=30)
        await user.press("Yes, keep my notes")
        await user.wait_for_text("What would you like to do?", timeout=15)
        await user.send("my secret note about my back")
        await user.wait_for_text("Sorry, I didn't get that", timeout=15)
    finally:
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = await asyncio.wait_for(proc.communicate(), 30)
        await server.stop()
    logs = stdout.decode() + stderr.decode()
    assert proc.returncode == 0, logs[-2000:]
    assert "DEBUG" in logs  # the run really was at DEBUG
    assert TOKEN not in logs
    assert TOKEN.split(":")[1] not in logs
    assert "secret note" not in logs
    assert "database closed" in logs
    assert (tmp_path / "bot.db").stat().st_mode & 0o777 == 0o600


# ------------------------------------------------------------------ how start-up ends
OTHER_TOKEN = "987654:Revoked-or-mistyped-TOKEN-abcdef"


def assert_one_clean_line(stdout: str, stderr: str, needle: str, token: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("backcare: ") and needle in lines[0], stderr
    for text in (stdout, stderr):
        assert token not in text and token.split(":")[1] not in text
        assert "Traceback" not in text and "Unclosed" not in text


async def run_until_exit(env: dict[str, str], cwd: Path, timeout: float = 60):
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    stdout, stderr = await asyncio.wait_for(proc.communicate(), timeout)
    return proc.returncode, stdout.decode(), stderr.decode()


@pytest.mark.parametrize(
    ("path", "status", "needle"),
    [
        ("/bot", 2, "Telegram refused the token: check TELEGRAM_BOT_TOKEN"),  # 401
        ("/elsewhere/bot", 2, "Telegram refused the token: check TELEGRAM_BOT_TOKEN"),  # 404
        ("", 2, "TELEGRAM_API_BASE_URL must end in /bot"),  # the token would follow the port
        ("/", 2, "TELEGRAM_API_BASE_URL must end in /bot"),
    ],
    ids=["401", "404", "no-bot", "slash"],
)
async def test_a_refused_token_ends_in_one_line_without_the_token(
    env, tmp_path, path, status, needle
):
    server = BotApiServer(token=TOKEN)  # knows only TOKEN: any other gets 401
    await server.start()
    try:
        base = server.base_url.removesuffix("/bot") + path
        code, out, err = await run_until_exit(
            {**env, "TELEGRAM_BOT_TOKEN": OTHER_TOKEN, "TELEGRAM_API_BASE_URL": base,
             "BACKCARE_DB": str(tmp_path / "bot.db")},
            tmp_path,
        )  # fmt: skip
        assert code == status
        assert_one_clean_line(out, err, needle, OTHER_TOKEN)
        # At DEBUG there are log lines before it, but still no token and no traceback.
        code, out, err = await run_until_exit(
            {**env, "TELEGRAM_BOT_TOKEN": OTHER_TOKEN, "TELEGRAM_API_BASE_URL": base,
             "BACKCARE_DB": str(tmp_path / "bot.db"), "BACKCARE_LOG_LEVEL": "DEBUG"},
            tmp_path,
        )  # fmt: skip
    finally:
        await server.stop()
    assert code == status
    assert_one_clean_line(out, err.strip().splitlines()[-1], needle, OTHER_TOKEN)
    assert OTHER_TOKEN.split(":")[1] not in err and "Traceback" not in err


async def test_an_unreachable_api_ends_in_one_line_and_status_1(env, tmp_path):
    closed = f"http://127.0.0.1:{free_port()}/bot"  # nothing listens there
    code, out, err = await run_until_exit(
        {**env, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": closed,
         "BACKCARE_DB": str(tmp_path / "bot.db")},
        tmp_path,
    )  # fmt: skip
    assert code == 1  # not a setting: the service manager may start it again
    assert_one_clean_line(out, err, "cannot reach the Telegram Bot API at 127.0.0.1:", TOKEN)


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
async def test_ctrl_c_while_telegram_has_not_answered_yet(env, tmp_path, signum, status):
    called = asyncio.Event()

    async def silent(reader, writer):  # accepts getMe and never answers
        called.set()
        await reader.read()
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path,
        env={**env, "TELEGRAM_BOT_TOKEN": TOKEN,
             "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}/bot",
             "BACKCARE_DB": str(tmp_path / "bot.db")},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await asyncio.wait_for(called.wait(), 30)
        proc.send_signal(signum)
        stdout, stderr = await asyncio.wait_for(proc.communicate(), 30)
    finally:
        server.close()
    assert proc.returncode == status
    assert_one_clean_line(stdout.decode(), stderr.decode(), "stopped during start-up", TOKEN)


def damage(db_path: Path) -> None:
    """A database whose users table has a page of garbage in the middle of the file."""
    db = open_db(db_path)
    db["users"].insert_all(
        {"id": n, "language": "en", "created_at": "2026-03-01T00:00:00Z",
         "last_seen_at": "2026-03-01T00:00:00Z", "active": 1, "time_zone": "Europe/Paris" * 9}
        for n in range(1, 3000)
    )  # fmt: skip
    db.close()
    pages = db_path.stat().st_size // 4096
    with db_path.open("r+b") as file:
        file.seek(pages // 2 * 4096)
        file.write(b"\x0d\xff\xff\x00" * 1024)


@pytest.mark.parametrize(
    ("prepare", "needle"),
    [
        (damage, "is damaged"),
        (lambda path: path.write_bytes(b"not sqlite at all " * 300), "not a usable SQLite"),
        (lambda path: path.mkdir(), "points to a directory"),
    ],
    ids=["damaged-page", "not-sqlite", "directory"],
)
def test_a_bad_database_stops_start_up_in_one_line(env, tmp_path, prepare, needle):
    db_path = tmp_path / "bot.db"
    prepare(db_path)
    closed = f"http://127.0.0.1:{free_port()}/bot"  # never reached
    result = backcare(
        "run", cwd=tmp_path,
        env={**env, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": closed,
             "BACKCARE_DB": str(db_path)},
    )  # fmt: skip
    assert result.returncode == 2
    assert_one_clean_line(result.stdout, result.stderr, needle, TOKEN)


def test_invalid_content_stops_start_up_in_one_line(env, tmp_path, monkeypatch, capsys):
    from bot import content as content_module
    from bot.cli import main

    broken = tmp_path / "content"
    shutil.copytree(content_module.content_dir(), broken)
    (broken / "triage.yaml").write_text("start: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(content_module, "content_dir", lambda: broken)
    monkeypatch.chdir(tmp_path)
    for name, value in {"TELEGRAM_BOT_TOKEN": TOKEN, "BACKCARE_DB": str(tmp_path / "x.db")}.items():
        monkeypatch.setenv(name, value)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert "content is invalid: " in err and "backcare content check" in err


def test_a_token_pasted_into_a_setting_is_not_echoed(env, tmp_path):
    pasted = f"https://api.telegram.org/bot{TOKEN}/"
    result = backcare(
        "run", cwd=tmp_path,
        env={**env, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": pasted},
    )  # fmt: skip
    assert result.returncode == 2
    assert_one_clean_line(result.stdout, result.stderr, "TELEGRAM_API_BASE_URL", TOKEN)


def read_only_run(env: dict[str, str], cwd: Path, read_only: Path, db_path: Path):
    """`backcare run` with `read_only` (a file or directory) mounted read-only, which stops
    root as well, in a mount namespace of its own."""
    closed = f"http://127.0.0.1:{free_port()}/bot"  # never reached
    mount = shlex.quote(str(read_only))
    script = f"mount --bind {mount} {mount} && mount -o remount,bind,ro {mount} && exec " + (
        shlex.join([sys.executable, "-m", "bot", "run"])
    )
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script],
        capture_output=True, text=True, cwd=cwd, timeout=60,
        env={**env, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": closed,
             "BACKCARE_DB": str(db_path)},
    )  # fmt: skip


@pytest.mark.skipif(
    shutil.which("unshare") is None
    or os.geteuid() != 0
    or subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0,
    reason="needs root and unshare -m",
)
@pytest.mark.parametrize("what", ["directory", "file"])
def test_a_read_only_database_stops_start_up_in_one_line(env, tmp_path, what):
    home = tmp_path / "data"
    home.mkdir()
    db_path = home / "bot.db"
    open_db(db_path).close()
    result = read_only_run(env, tmp_path, home if what == "directory" else db_path, db_path)
    assert result.returncode == 2
    needle = "is not writable" if what == "directory" else "for writing: Read-only file system"
    assert_one_clean_line(result.stdout, result.stderr, needle, TOKEN)


async def test_a_webhook_port_in_use_ends_in_one_line_and_status_1(env, tmp_path):
    import socket

    server = BotApiServer(token=TOKEN)
    await server.start()
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--webhook-url", "https://bot.example.org/hook",
        "--port", str(port), cwd=tmp_path,
        env={**env, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": server.base_url,
             "BACKCARE_DB": str(tmp_path / "bot.db"), "BACKCARE_LOG_LEVEL": "WARNING"},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        stdout, stderr = await asyncio.wait_for(proc.communicate(), 60)
    finally:
        taken.close()
        await server.stop()
    assert proc.returncode == 1
    needle = f"cannot listen on 127.0.0.1:{port}: Address already in use"
    assert_one_clean_line(stdout.decode(), stderr.decode(), needle, TOKEN)


def test_a_bug_keeps_its_traceback_but_not_the_token(monkeypatch, tmp_path, capsys):
    from bot import ops
    from bot.cli import main

    def broken(settings):
        raise RuntimeError(f"GET https://api.telegram.org/bot{TOKEN}/getMe went wrong")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BACKCARE_DB", str(tmp_path / "x.db"))
    monkeypatch.setattr(ops, "stats_command", broken)
    assert main(["stats"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError" in err and "<token>" in err
    assert TOKEN not in err and TOKEN.split(":")[1] not in err
    assert err.strip().splitlines()[-1].startswith("backcare: stopped on an unexpected error")


async def test_run_by_webhook_serves_the_stand_in_and_stops_cleanly(env, tmp_path):
    from bot.sim.harness import free_port

    server = BotApiServer(token=TOKEN)
    await server.start()
    port = free_port()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--webhook-url",
        f"http://127.0.0.1:{port}/telegram",
        "--port",
        str(port),
        env={
            **env,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": server.base_url,
            "BACKCARE_DB": str(tmp_path / "bot.db"),
        },
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        user = SimUser(server, 4243)
        await user.send("/start")
        await server.wait_for(lambda: "Yes, keep my notes" in user.buttons(), timeout=30)
        assert server.webhook.url == f"http://127.0.0.1:{port}/telegram"
        assert server.webhook.delivered >= 1 and server.webhook.failures == []
    finally:
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = await asyncio.wait_for(proc.communicate(), 30)
        await server.stop()
    logs = stdout.decode() + stderr.decode()
    assert proc.returncode == 0, logs[-2000:]
    assert "Traceback" not in logs


def test_content_alone_prints_its_help(capsys):
    from bot.cli import main

    assert main(["content"]) == 0
    out = capsys.readouterr().out
    assert "usage: backcare content" in out and "check" in out and "words" in out
