"""/diary through the stand-in: summary and chart, the list, Edit, Delete, forged buttons."""

import io
from datetime import UTC, datetime, timedelta

from PIL import Image

from bot.chat import callbacks
from storage import diary, users
from tests.helpers import db_of


def add(harness, user_id, *, days_ago=0.0, pain=5, **extra):
    fields = {"places": ["lower_back"], "tags": [], "note": None, "source": "log"}
    fields.update(extra)
    now = harness.clock()
    return diary.add_entry(
        db_of(harness),
        user_id,
        recorded_at=now - timedelta(days=days_ago),
        pain=pain,
        now=now,
        **fields,
    )


async def test_diary_summary_arrives_with_a_png_chart(harness, alex):
    # 30 days: 7/10 in the first week, 3/10 in the last, a stretches record, one tag
    for day in range(30):
        add(harness, 1001, days_ago=day, pain=3 if day < 7 else 7 if day >= 23 else 5)
    add(harness, 1001, days_ago=0.1, pain=None, tags=["did_stretches"], source="stretches")
    add(harness, 1001, days_ago=2, pain=4, tags=["slept_badly"])
    await alex.send("/diary")
    (photo,) = alex.files("photo")
    assert photo.file_bytes.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(photo.file_bytes))
    image.verify()
    assert image.size[0] >= 800
    caption = photo.caption
    assert "last 30 days" in caption
    assert "Entries: 31\nStretches done: 1" in caption
    assert "lowest 3 · highest 7" in caption
    assert "7.0 in the first week, 3.1 in the last week. Down 3.9 points" in caption
    assert "Days logged in a row: 30" in caption
    assert "upload_photo" in alex.chat.actions
    await alex.press("7 days")
    latest = alex.files("photo")[-1]
    assert "last 7 days" in latest.caption and "• 7 days •" in latest.button_labels()
    assert "the week before" in latest.caption


async def test_an_empty_diary_says_how_to_start(harness, alex):
    await alex.send("/diary")
    assert "No pain scores in the last 30 days" in alex.last_text()
    assert alex.files() == []
    await alex.press("Entries")
    assert "Your diary is empty" in alex.last_text()


async def test_the_list_pages_newest_first(harness, alex):
    users.set_time_zone(db_of(harness), 1001, "Asia/Tokyo")
    for day in range(10):
        add(harness, 1001, days_ago=day, pain=day)
    await alex.send("/diary")
    await alex.press("Entries")
    assert "page 1 of 2" in alex.last_text()
    labels = alex.buttons()
    assert labels[0] == "Mon, 2 Mar 2026, 18:00 · 0/10 · Lower back"  # 09:00 UTC in Tokyo
    assert len([label for label in labels if "/10" in label]) == 8
    await alex.press("Older »")
    assert "page 2 of 2" in alex.last_text()
    assert [label for label in alex.buttons() if "/10" in label][-1].endswith("9/10 · Lower back")
    await alex.press("« Newer")
    assert "page 1 of 2" in alex.last_text()


async def test_edit_every_field_of_an_entry(harness, alex):
    entry_id = add(harness, 1001, pain=6, note="old <note>")
    await alex.send("/diary")
    await alex.press("Entries")
    await alex.press("6/10")
    assert "Note: old <note>" in alex.last_text()
    await alex.press("Edit")
    await alex.press("Pain")
    await alex.press("2")
    await alex.press("Where")
    await alex.press("Lower back")
    await alex.press("Right leg")
    await alex.press("Next")
    await alex.press("Tags")
    await alex.press("Worse sitting")
    await alex.press("Next")
    await alex.press("Note")
    await alex.send("better today")
    await alex.press("Date and time")
    await alex.press("Yesterday")
    await alex.press("Midday")
    text = alex.last_text()
    assert "Pain: 2/10" in text and "Where: Right leg" in text and "Worse sitting" in text
    assert diary.get_entry(db_of(harness), 1001, entry_id).pain == 6  # not yet saved
    await alex.press("Save changes")
    assert "Changes saved." in alex.last_text()
    entry = diary.get_entry(db_of(harness), 1001, entry_id)
    assert (entry.pain, entry.places, entry.tags, entry.note) == (
        2,
        ("right_leg",),
        ("worse_sitting",),
        "better today",
    )
    assert entry.recorded_at == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def test_edit_can_remove_the_note_and_cancel_changes_nothing(harness, alex):
    entry_id = add(harness, 1001, pain=6, note="keep me?")
    await alex.press_data(callbacks.encode("d", "edit", entry_id, 0))
    await alex.press("Pain")
    await alex.press("1")
    await alex.press("Cancel")
    assert "No changes made." in alex.last_text()
    assert diary.get_entry(db_of(harness), 1001, entry_id).pain == 6
    await alex.press("Edit")
    await alex.press("Note")
    await alex.press("Remove the note")
    await alex.press("Save changes")
    assert diary.get_entry(db_of(harness), 1001, entry_id).note is None


async def test_delete_asks_first(harness, alex):
    entry_id = add(harness, 1001, pain=4)
    await alex.send("/diary")
    await alex.press("Entries")
    await alex.press("4/10")
    await alex.press("Delete")
    assert "Delete this entry?" in alex.last_text()
    await alex.press("No, keep it")
    assert diary.get_entry(db_of(harness), 1001, entry_id) is not None
    await alex.press("Delete")
    await alex.press("Yes, delete it")
    assert "Deleted." in alex.last_text()
    assert diary.get_entry(db_of(harness), 1001, entry_id) is None


async def test_buttons_naming_another_persons_entry_have_expired(harness, alex):
    alex_entry = add(harness, 1001, pain=8, note="private")
    bob = harness.user(1002, first_name="Bob")
    await bob.send("/start")
    await bob.press("Yes, keep my notes")
    for action in ("delok", "del", "edit", "entry"):
        await bob.press_data(callbacks.encode("d", action, alex_entry, 0))
        assert bob.last_callback_answer()["text"] == "This button has expired."
    assert "private" not in "\n".join(bob.texts())
    entry = diary.get_entry(db_of(harness), 1001, alex_entry)
    assert entry is not None and entry.pain == 8 and entry.note == "private"
    await bob.press_data("1:d:-:delok:not-a-number")
    assert bob.last_callback_answer()["text"] == "This button has expired."
