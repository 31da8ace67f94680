"""The webhook server under abuse, with raw sockets on 127.0.0.1 (bot/webhook_server.py).

Timeouts are injected (0.2 s) so a slow or idle connection is closed quickly;
every loop here is bounded in count and time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from tornado.netutil import bind_sockets

from bot.runtime.webhook_server import (
    MAX_BODY,
    Hook,
    HookServer,
    Limits,
    QuietRepeats,
    ThrottledLog,
)

SECRET = "right-secret"
SHORT = Limits(header_timeout=0.2, body_timeout=0.2)
UPDATE = json.dumps(
    {
        "update_id": 5,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 7, "type": "private"},
            "text": "hi",
        },
    }
).encode()


def head(secret: str | None = SECRET, length: int | None = None, extra: str = "") -> bytes:
    lines = ["POST /telegram HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    if secret is not None:
        lines.append(f"X-Telegram-Bot-Api-Secret-Token: {secret}")
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n" + extra + "\r\n").encode()


@pytest.fixture
async def served():
    """(port, queue) of a HookServer with short timeouts."""
    queue: asyncio.Queue = asyncio.Queue()
    server = HookServer(Hook("/telegram", SECRET, None, queue, SHORT))
    sockets = bind_sockets(0, "127.0.0.1")
    server.add_sockets(sockets)
    yield sockets[0].getsockname()[1], queue
    server.stop()
    await server.close_all_connections()


async def read_all(reader: asyncio.StreamReader, within: float = 2.0) -> bytes:
    """Everything the server sends until it closes the connection (or `within` passes)."""
    data = b""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            chunk = await asyncio.wait_for(reader.read(65536), deadline - time.monotonic())
        except (TimeoutError, ConnectionResetError):
            break
        if not chunk:
            return data + b"<closed>"
        data += chunk
    return data


async def test_a_wrong_or_missing_secret_is_refused_before_the_body(served):
    port, queue = served
    for secret in (None, "", "wrong", SECRET + "x"):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(head(secret, length=99_000_000))  # a 99 MB body announced, none sent
        await writer.drain()
        started = time.monotonic()
        answer = await read_all(reader)
        assert answer.startswith(b"HTTP/1.1 403"), answer[:60]
        assert answer.endswith(b"<closed>")  # the server did not wait for 99 MB
        assert time.monotonic() - started < 1.0
        writer.close()
    assert queue.empty()


async def test_a_body_over_the_cap_is_refused_even_with_the_right_secret(served):
    port, queue = served
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(head(length=99_000_000))
    answer = await read_all(reader)
    assert answer.startswith(b"HTTP/1.1 413") and answer.endswith(b"<closed>")
    writer.close()

    # Chunked, so no length is declared: counted as it arrives.
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(head(extra="Transfer-Encoding: chunked\r\n"))
    piece = b"x" * 65536
    sent = 0
    try:
        for _ in range(MAX_BODY // len(piece) + 4):  # bounded: a little past the cap
            writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            await writer.drain()
            sent += len(piece)
    except ConnectionError:
        pass  # refused and closed while we were still sending: what we want
    answer = await read_all(reader)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:60]
    assert sent <= MAX_BODY + 4 * len(piece)
    writer.close()
    assert queue.empty()


async def test_a_real_update_is_taken(served):
    port, queue = served
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(head(length=len(UPDATE)) + UPDATE)
    answer = await read_all(reader, within=0.5)
    assert answer.startswith(b"HTTP/1.1 200")
    assert (await asyncio.wait_for(queue.get(), 1)).update_id == 5
    writer.close()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(head(length=9) + b"not json!")
    assert (await read_all(reader, within=0.5)).startswith(b"HTTP/1.1 400")
    writer.close()


async def test_slow_headers_and_slow_bodies_are_cut_off(served):
    port, _ = served
    slow_head = b"POST /telegram HTTP/1.1\r\nHost: 127.0.0.1\r\n"  # never finished
    slow_body = head(length=1000) + b'{"update_id":'  # 13 of 1000 bytes, then nothing
    for start in (slow_head, slow_body):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(start)
        started = time.monotonic()
        assert (await read_all(reader, within=3.0)).endswith(b"<closed>")
        assert 0.15 < time.monotonic() - started < 2.0  # after the 0.2 s timeout
        writer.close()


async def test_many_idle_connections_are_closed_quietly(served, caplog):
    port, _ = served
    caplog.set_level(logging.DEBUG)
    connections = [await asyncio.open_connection("127.0.0.1", port) for _ in range(60)]
    answers = await asyncio.gather(*(read_all(r, within=3.0) for r, _ in connections))
    assert all(answer == b"<closed>" for answer in answers)
    for _, writer in connections:
        writer.close()
    noisy = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert noisy == []


def test_a_throttled_log_writes_one_line_per_interval_with_a_count(caplog):
    now = [0.0]
    throttled = ThrottledLog(logging.getLogger("test.throttle"), 60.0, clock=lambda: now[0])
    for _ in range(100_000):  # a tight accept loop's worth in a second
        throttled.error("cannot accept: %s", "Too many open files")
        now[0] += 0.00001
    now[0] += 60
    throttled.error("cannot accept: %s", "Too many open files")
    lines = [r.getMessage() for r in caplog.records if r.name == "test.throttle"]
    assert lines == [
        "cannot accept: Too many open files",
        "cannot accept: Too many open files (99999 more since the last such line)",
    ]


# Run in a child process: its file descriptor limit is lowered, not this one's.
EXHAUSTED = textwrap.dedent(
    """
    import asyncio, logging, os, resource, sys
    from tornado.netutil import bind_sockets
    from bot.runtime.webhook_server import Hook, HookServer, Limits

    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(name)s: %(message)s")

    async def main():
        queue = asyncio.Queue()
        limits = Limits(header_timeout=30, body_timeout=30, accept_pause=0.05)
        server = HookServer(Hook("/telegram", "right-secret", None, queue, limits))
        sockets = bind_sockets(0, "127.0.0.1", backlog=256)
        server.add_sockets(sockets)
        spare = 6  # room for a few connections, then accept() fails with EMFILE
        resource.setrlimit(resource.RLIMIT_NOFILE, (len(os.listdir("/proc/self/fd")) + spare,
                           resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
        print(sockets[0].getsockname()[1], flush=True)
        try:
            update = await asyncio.wait_for(queue.get(), 8)
            print("took", update.update_id, flush=True)
        except TimeoutError:
            print("took nothing", flush=True)

    asyncio.run(main())
    """
)


def test_running_out_of_file_descriptors_logs_one_line_and_recovers(tmp_path):
    import socket

    stderr_path = tmp_path / "stderr.txt"
    root = Path(__file__).resolve().parent.parent
    with stderr_path.open("w") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-c", EXHAUSTED],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        try:
            port = int(child.stdout.readline())
            idle = []
            for _ in range(40):  # more than the child has descriptors for
                s = socket.create_connection(("127.0.0.1", port), timeout=2)
                idle.append(s)
            time.sleep(0.5)  # the child's accept loop meets EMFILE for a second
            for s in idle:
                s.close()
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(head(length=len(UPDATE)) + UPDATE)
                s.settimeout(5)
                assert s.recv(100).startswith(b"HTTP/1.1 200")  # accepting again
            out, _ = child.communicate(timeout=15)
        finally:
            child.kill()
            child.wait(5)
    assert "took 5" in out
    logged = stderr_path.read_text().splitlines()
    accept_lines = [line for line in logged if "accept" in line]
    assert 1 <= len(accept_lines) <= 2, logged[:20]
    assert len(logged) <= 5, logged[:20]


@pytest.mark.parametrize(
    ("path", "uri", "status"),
    [("/telegram", "/telegram/", None), ("/telegram", "/other", 404), ("/", "/", None)],
)
def test_the_path_is_matched_with_or_without_a_trailing_slash(path, uri, status):
    from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

    headers = HTTPHeaders({"X-Telegram-Bot-Api-Secret-Token": SECRET})
    headers["Content-Type"] = "application/json"
    headers["Host"] = "127.0.0.1"
    request = HTTPServerRequest(
        headers=headers, start_line=RequestStartLine("POST", uri, "HTTP/1.1")
    )
    assert Hook(path, SECRET, None, asyncio.Queue(), SHORT).refusal(request) == status


async def test_many_slow_bodies_log_one_line_not_one_each(served, caplog):
    port, _ = served
    caplog.set_level(logging.INFO, logger="tornado.general")
    connections = [await asyncio.open_connection("127.0.0.1", port) for _ in range(30)]
    for _, writer in connections:
        writer.write(head(length=1000) + b"{")  # a body that never finishes
    answers = await asyncio.gather(*(read_all(r, within=3.0) for r, _ in connections))
    assert all(answer.endswith(b"<closed>") for answer in answers)
    for _, writer in connections:
        writer.close()
    lines = [r for r in caplog.records if r.name == "tornado.general"]
    assert len(lines) <= 1


def test_quiet_repeats_counts_what_it_dropped(caplog):
    now = [0.0]
    logger = logging.getLogger("test.quiet")
    quiet = QuietRepeats(60.0, clock=lambda: now[0])
    logger.addFilter(quiet)
    try:
        for n in range(500):
            logger.warning("Timeout reading body from %s", f"10.0.0.{n % 250}")
        now[0] = 61
        logger.warning("Timeout reading body from %s", "10.0.0.1")
    finally:
        logger.removeFilter(quiet)
    assert [r.getMessage() for r in caplog.records if r.name == "test.quiet"] == [
        "Timeout reading body from 10.0.0.0",
        "Timeout reading body from 10.0.0.1 (499 more since the last such line)",
    ]
