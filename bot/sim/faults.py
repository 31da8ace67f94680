"""A seeded fault plan for the stand-in: the bad days of a real Bot API.

    server.faults = FaultPlan(seed=7, rate=0.1)

Each call the bot makes is, with probability `rate`, answered with a 429
(`retry_after`), a 500 or 502, an answer slower than the client waits, or a
dropped connection. Whether a call fails depends only on the seed, the chat
and how many calls that chat has seen, so a run is repeatable however the
users' turns interleave.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

KINDS = ("429", "500", "502", "slow", "drop")
# Bootstrap calls (who am I, which commands) are faulted too; getUpdates only
# with answers that cannot be mistaken for a long poll doing its job.
NOT_SLOW = frozenset({"getupdates"})


@dataclass(frozen=True)
class Fault:
    kind: str  # one of KINDS
    # "drop" and "slow": whether the stand-in carries out the call before the
    # answer goes wrong (the bot cannot tell which happened).
    applied: bool = False


@dataclass
class FaultPlan:
    seed: int
    rate: float = 0.1
    kinds: tuple[str, ...] = KINDS
    slow_seconds: float = 1.5
    retry_after: int = 1
    counts: Counter = field(default_factory=Counter)  # kind -> faults injected
    calls: int = 0
    _per_chat: Counter = field(default_factory=Counter)

    def pick(self, method: str, chat_id: int | None) -> Fault | None:
        """The fault for this call, or None to answer it normally."""
        self.calls += 1
        key = chat_id if chat_id is not None else f"m:{method.lower()}"
        self._per_chat[key] += 1
        rng = random.Random(f"{self.seed}:{key}:{self._per_chat[key]}")
        if rng.random() >= self.rate:
            return None
        kinds = [k for k in self.kinds if not (k == "slow" and method.lower() in NOT_SLOW)]
        if not kinds:
            return None
        kind = rng.choice(kinds)
        fault = Fault(kind, applied=kind == "slow" or (kind == "drop" and rng.random() < 0.5))
        self.counts[kind] += 1
        return fault

    @property
    def injected(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        parts = ", ".join(f"{kind}: {self.counts[kind]}" for kind in self.kinds)
        return f"{self.injected} faults in {self.calls} calls ({parts})"
