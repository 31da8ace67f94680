"""What an operator relies on: `backcare run --webhook-url` end to end in its own process,
its option checks, the BotFather list in README.md, and the deployment files."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bot.app import build_application
from bot.chat.registry import services
from bot.config import load_settings
from bot.sim.client import SimUser
from bot.sim.harness import free_port
from bot.sim.server import BotApiServer
from bot.sim.webhook import post_update

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:TEST-token-for-the-local-stand-in"


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BACKCARE_"))}
    keep["PYTHONPATH"] = str(ROOT)
    return keep


async def test_run_by_webhook_in_its_own_process(env, tmp_path):
    server = BotApiServer(token=TOKEN)
    await server.start()
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook/path"
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--webhook-url",
        url,
        "--port",
        str(port),
        "--secret-token",
        "Operator_Secret-1",
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
        await server.wait_for(lambda: server.webhook.url == url, timeout=30)
        assert server.webhook.secret == "Operator_Secret-1"
        user = SimUser(server, 4343)
        await user.send("/start")
        await server.wait_for(lambda: "Yes, keep my notes" in user.buttons(), timeout=15)
        assert server.webhook.delivered >= 1
        forged = {"update_id": 10**6, "message": {"message_id": 1, "date": 0, "text": "/start",
                  "chat": {"id": 4444, "type": "private"}, "from": {"id": 4444, "is_bot": False,
                  "first_name": "X"}}}  # fmt: skip
        assert await post_update(url, forged, None) == 403
        assert await post_update(url, forged, "wrong") == 403
        await user.press("Yes, keep my notes")
        await user.wait_for_text("What would you like to do?", timeout=15)
        assert 4444 not in server.chats
    finally:
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = await asyncio.wait_for(proc.communicate(), 30)
        await server.stop()
    logs = stdout.decode() + stderr.decode()
    assert proc.returncode == 0, logs[-2000:]
    assert "Operator_Secret-1" not in logs and TOKEN not in logs


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--webhook-url", "ftp://x.org/h"], "must be an https:// URL"),
        (["--webhook-url", "https://x.org/h?token=1"], "query"),
        (["--webhook-url", "https://x.org/h", "--port", "70000"], "--port"),
        (["--webhook-url", "https://x.org/h", "--secret-token", "has space"], "--secret-token"),
        (["--port", "8080"], "need --webhook-url"),
    ],
)
def test_bad_webhook_options_exit_2_with_one_line(env, tmp_path, args, needle):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run", *args],
        capture_output=True,
        text=True,
        env={**env, "TELEGRAM_BOT_TOKEN": TOKEN, "BACKCARE_DB": str(tmp_path / "x.db")},
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert needle in result.stderr


def test_the_botfather_list_in_the_readme_matches_the_bot(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"/setcommands.*?```text\n(.*?)```", readme, re.S)
    assert block is not None
    listed = dict(line.split(" - ", 1) for line in block.group(1).strip().splitlines())
    settings = load_settings(
        {"TELEGRAM_BOT_TOKEN": TOKEN, "BACKCARE_DB": str(tmp_path / "x.db")}, dotenv=None
    )
    app = build_application(settings)
    svc = services(app)
    registered = {
        c.name: svc.content.strings.t("en", c.description_key) for c in svc.registry.commands
    }
    svc.db.close()
    for name, description in listed.items():  # nothing stale or mistyped in the docs
        assert registered.get(name) == description, name
    assert list(listed) == list(registered)  # every command, in the bot's own order
    assert "stats" not in listed


def test_deployment_files_stay_out_of_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "bot/deploy" in config["tool"]["hatch"]["build"]["targets"]["wheel"]["exclude"]
    deploy = ROOT / "bot" / "deploy"
    assert not (deploy / "__init__.py").exists()
    dockerfile = (deploy / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.\d+-slim$", dockerfile, re.M)
    assert re.search(r"^USER 10001:10001$", dockerfile, re.M)
    assert 'VOLUME ["/data"]' in dockerfile and "BACKCARE_DB=/data/" in dockerfile
    ignore = (deploy / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    # Everything is left out except what the image installs (later lines win).
    allowed = ["!pyproject.toml", "!README.md", "!bot", "!storage", "!content"]
    assert all(ignore.index("*") < ignore.index(line) for line in allowed)
    assert ignore.index("bot/deploy") > ignore.index("!bot")
    unit = (deploy / "backcare.service").read_text(encoding="utf-8")
    assert "User=backcare" in unit and "UMask=0077" in unit and "backcare run" in unit
