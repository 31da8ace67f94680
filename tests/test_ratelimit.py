"""The rate limiter on a virtual clock: bulk sends evenly spaced, replies at once, 429s paused."""

from datetime import timedelta
from itertools import pairwise

import pytest
from telegram.error import RetryAfter

from bot.runtime.ratelimit import BULK, PACED, PacedRateLimiter


class VirtualTime:
    def __init__(self):
        self.now = 100.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def time_():
    return VirtualTime()


def limiter(time_, **kwargs) -> PacedRateLimiter:
    return PacedRateLimiter(20, clock=time_.clock, sleep=time_.sleep, **kwargs)


async def send(rl, time_, sent, *, bulk=True, data=None, fail=0):
    attempts = {"n": 0}

    async def callback():
        attempts["n"] += 1
        if attempts["n"] <= fail:
            raise RetryAfter(timedelta(seconds=1))
        sent.append(round(time_.now, 3))
        return True

    return await rl.process_request(
        callback, (), {}, "sendMessage", data or {"chat_id": 1}, BULK if bulk else None
    )


async def test_bulk_sends_are_evenly_spaced(time_):
    rl, sent = limiter(time_), []
    for _ in range(5):
        await send(rl, time_, sent)
    assert sent == [100.0, 100.05, 100.1, 100.15, 100.2]


async def test_replies_go_at_once_and_bulk_makes_room(time_):
    rl, sent = limiter(time_), []
    await send(rl, time_, sent)
    await send(rl, time_, sent, bulk=False)  # a person's reply: no wait
    await send(rl, time_, sent)  # the next bulk send moves one slot later
    assert sent == [100.0, 100.0, 100.1]


async def test_a_429_pauses_everything_then_carries_on_evenly(time_):
    rl, sent = limiter(time_), []
    await send(rl, time_, sent, fail=1)  # told to wait 1 s: retried after 1.1 s
    await send(rl, time_, sent)
    await send(rl, time_, sent, bulk=False)
    assert sent == [101.1, 101.15, 101.15]
    with pytest.raises(RetryAfter):
        await send(rl, time_, sent, fail=9)  # gives up after its retries


async def test_requests_without_a_chat_and_paid_broadcasts_have_their_own_pace(time_):
    rl, sent = limiter(time_, paid_per_second=1000), []
    await send(rl, time_, sent)
    await send(rl, time_, sent, data={"callback_query_id": "1"})  # answers: never limited
    await send(rl, time_, sent, data={"chat_id": 1, "allow_paid_broadcast": True})
    await send(rl, time_, sent, data={"chat_id": 1, "allow_paid_broadcast": True})
    assert sent == [100.0, 100.0, 100.0, 100.001]


async def reminders_under_replies(
    rl, time_, reminders: int, replies_per_second: float, for_seconds: float = 60
):
    """Reminders sent one after another while people's replies arrive at a steady rate for
    `for_seconds`; the replies that came during each wait take their moments before the
    next reminder asks for one. Returns when each reminder went, from the start."""
    sent, replies, start = [], 0, time_.now
    for _ in range(reminders):
        elapsed = min(time_.now - start, for_seconds)
        for _ in range(int(elapsed * replies_per_second) - replies):
            await send(rl, time_, [], bulk=False)
        replies = int(elapsed * replies_per_second)
        await send(rl, time_, sent)
    return [round(t - start, 2) for t in sent]


async def test_reminders_keep_their_share_while_replies_fill_the_budget(time_):
    # 28 a second, as the bot runs; replies alone at 40 a second for a minute.
    rl = PacedRateLimiter(28, clock=time_.clock, sleep=time_.sleep)
    sent = await reminders_under_replies(rl, time_, 60, replies_per_second=40)
    gaps = [b - a for a, b in pairwise(sent)]
    assert max(gaps) <= 1 / 7 + 0.01  # a quarter of 28: at least one every 1/7 s
    assert sent[-1] < 9  # the 60 check-ins of a busy minute, all out within 9 s


async def test_without_replies_reminders_use_the_whole_rate(time_):
    rl = PacedRateLimiter(28, clock=time_.clock, sleep=time_.sleep)
    sent = await reminders_under_replies(rl, time_, 56, replies_per_second=0)
    assert sent[-1] == round(55 / 28, 2)


async def test_a_send_paced_beforehand_goes_at_once_and_waits_again_after_a_429(time_):
    rl, sent = limiter(time_), []
    await send(rl, time_, sent)
    await rl.pace()  # the reminder tick waits for its moment before marking the send
    assert time_.now == 100.05

    async def once(fail: int):
        attempts = {"n": 0}

        async def callback():
            attempts["n"] += 1
            if attempts["n"] <= fail:
                raise RetryAfter(timedelta(seconds=1))
            sent.append(round(time_.now, 3))
            return True

        await rl.process_request(callback, (), {}, "sendMessage", {"chat_id": 1}, PACED)

    await once(fail=0)  # no second wait
    await rl.pace()
    await once(fail=1)  # Telegram said wait: a fresh moment after the pause
    assert sent == [100.0, 100.05, 101.2]
