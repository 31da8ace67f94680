"""What the hostile crowd types and sends (tests/drills/hostile.py): odd characters, injections,
command names, and one of every kind of message Telegram delivers."""

from __future__ import annotations

from typing import Any

ODD = [
    "\u202e",  # right-to-left override
    "\u200d",  # zero-width joiner
    "\u200b",  # zero-width space
    "\ufeff",  # byte order mark
    "\u0301\u0301\u0301",  # stacked combining accents
    "👨‍👩‍👧‍👦",
    "🏳️‍🌈",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "𒀱",
    "\U0010fffd",  # last plane
    "\x00",
    "\x1b[31m",
    "\r\n",
    "\t",
    "ﷺ",
    "Ꙭ",
    "ß",
    "İ",
]
INJECTIONS = [
    "<b>bold",
    "</code>",
    "<a href='javascript:alert(1)'>x</a>",
    "&amp;&lt;&#0;",
    "{name}",
    "{0}",
    "{__class__}",
    "%s%s%n",
    "'; drop table diary_entries; --",
    "1:m:-:open",
    "null",
    "NaN",
    "-1",
    "99999999999999999999",
    "../../etc/passwd",
    "@everyone",
]
COMMANDS = [
    "start",
    "menu",
    "help",
    "cancel",
    "stats",
    "log",
    "diary",
    "check",
    "triage",
    "learn",
    "stretch",
    "checkin",
    "reminders",
    "settings",
    "privacy",
    "export",
    "forget",
    "timezone",
    "language",
    "nosuchthing",
]
MEDIA: list[dict[str, Any]] = [
    {"sticker": {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1,
                 "height": 1, "is_animated": False, "is_video": False}},
    {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]},
    {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 1}},
    {"audio": {"file_id": "a", "file_unique_id": "a", "duration": 1}},
    {"video": {"file_id": "vi", "file_unique_id": "vi", "width": 1, "height": 1, "duration": 1}},
    {"video_note": {"file_id": "vn", "file_unique_id": "vn", "length": 1, "duration": 1}},
    {"animation": {"file_id": "an", "file_unique_id": "an", "width": 1, "height": 1,
                   "duration": 1}},
    {"document": {"file_id": "d", "file_unique_id": "d", "file_name": "x.pdf"}},
    {"location": {"latitude": 52.52, "longitude": 13.405}},
    {"location": {"latitude": -89.9, "longitude": 179.9}},
    {"venue": {"location": {"latitude": 1.0, "longitude": 2.0}, "title": "T", "address": "A"}},
    {"contact": {"phone_number": "+100", "first_name": "C"}},
    {"dice": {"emoji": "🎲", "value": 6}},
    {"poll": {"id": "1", "question": "Q?",
              "options": [{"text": "a", "voter_count": 0, "persistent_id": "a"},
                          {"text": "b", "voter_count": 0, "persistent_id": "b"}],
              "total_voter_count": 0, "is_closed": False, "is_anonymous": True,
              "type": "regular", "allows_multiple_answers": False, "allows_revoting": False,
              "members_only": False}},
]  # fmt: skip
