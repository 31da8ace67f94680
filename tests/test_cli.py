"""The `backcare` command as a person or an operator runs it: real processes, real stand-in."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.sim.client import SimUser
from bot.sim.server import BotApiServer

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
    assert "1. Yes, keep my notes" in out
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
