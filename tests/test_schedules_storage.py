"""Schedules in SQLite: claims are atomic, nothing is sent twice, nothing is replayed."""

import threading
from datetime import UTC, datetime, time, timedelta

from storage import deliveries, schedules, users
from storage.db import open_db, to_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday, 10:00 in Berlin


def people(db, *ids, zone="Europe/Berlin"):
    for user_id in ids:
        users.ensure(db, user_id, "en", NOW)
        users.set_consent(db, user_id, NOW)
        users.set_time_zone(db, user_id, zone)


def checkin_at(db, user_id, hour, zone="Europe/Berlin"):
    return schedules.save_checkin(db, user_id, zone, time(hour), NOW)


def test_a_claim_moves_the_row_on_and_records_one_delivery(tmp_path):
    db = open_db(tmp_path / "a.db")
    people(db, 1)
    checkin_at(db, 1, 8)  # next: Tuesday 07:00 UTC
    due = datetime(2026, 3, 3, 7, 0, 10, tzinfo=UTC)
    assert deliveries.claim_due(db, due - timedelta(minutes=1)) == []
    [claim] = deliveries.claim_due(db, due)
    assert (claim.user_id, claim.kind, claim.due) == (1, "checkin", due.replace(second=0))
    assert deliveries.claim_due(db, due) == []  # already claimed
    row = db["deliveries"].get(claim.delivery_id)
    assert row["status"] == "claimed" and row["due_utc"] == "2026-03-03T07:00:00Z"
    assert schedules.checkin_for(db, 1).next_due == datetime(2026, 3, 4, 7, tzinfo=UTC)


def test_two_connections_claiming_at_once_never_share_an_occurrence(tmp_path):
    path = tmp_path / "race.db"
    setup = open_db(path)
    ids = list(range(1, 201))
    people(setup, *ids)
    for user_id in ids:
        checkin_at(setup, user_id, 8)
    due = datetime(2026, 3, 3, 7, 0, 30, tzinfo=UTC)
    found: list[list] = [[], []]

    def worker(slot: int) -> None:
        db = open_db(path)
        while batch := deliveries.claim_due(db, due, limit=7):
            found[slot].extend(batch)
        db.close()

    threads = [threading.Thread(target=worker, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    claimed = [(c.schedule_id, c.due) for c in found[0] + found[1]]
    assert len(claimed) == len(set(claimed)) == 200
    assert setup["deliveries"].count == 200


def test_a_stale_read_cannot_claim_a_row_someone_else_moved(tmp_path):
    db = open_db(tmp_path / "cas.db")
    people(db, 1)
    checkin_at(db, 1, 8)
    due = datetime(2026, 3, 3, 7, 0, 30, tzinfo=UTC)
    assert len(deliveries.claim_due(db, due)) == 1
    # Put the row back as a racing tick would have read it: the delivery row already
    # exists, so the unique index refuses a second one and nothing is claimed.
    db.execute("update schedules set next_due_utc = ? where user_id = 1", ["2026-03-03T07:00:00Z"])
    db.conn.commit()
    assert deliveries.claim_due(db, due) == []
    assert db["deliveries"].count == 1


def test_five_hours_down_gives_one_prompt_per_schedule_at_most(tmp_path):
    db = open_db(tmp_path / "down.db")
    people(db, 1, 2)
    checkin_at(db, 1, 8)  # daily at 08:00 Berlin
    schedules.add_stretch(
        db, 2, zone="Europe/Berlin", routine=None, weekdays="1234567",
        start=time(9), end=time(17), every=60, now=NOW,
    )  # fmt: skip
    # The bot stopped on Tuesday 06:00 UTC and comes back at 11:30 UTC (12:30 Berlin).
    back = datetime(2026, 3, 3, 11, 30, tzinfo=UTC)
    claims = deliveries.claim_due(db, back)
    assert [(c.user_id, c.due) for c in claims] == [(2, datetime(2026, 3, 3, 11, tzinfo=UTC))]
    assert deliveries.claim_due(db, back) == []
    statuses = sorted(r["status"] for r in db["deliveries"].rows)
    assert statuses == ["claimed", "missed"]  # the check-in was five hours late: skipped
    assert schedules.checkin_for(db, 1).next_due == datetime(2026, 3, 4, 7, tzinfo=UTC)


def test_failed_sends_are_retried_with_backoff_then_given_up(tmp_path):
    db = open_db(tmp_path / "retry.db")
    people(db, 1)
    checkin_at(db, 1, 8)
    now = datetime(2026, 3, 3, 7, 0, 5, tzinfo=UTC)
    [claim] = deliveries.claim_due(db, now)
    waits = []
    for _ in range(deliveries.MAX_ATTEMPTS):
        will_retry = deliveries.record_failure(db, claim, now)
        if not will_retry:
            break
        retry_at = db["deliveries"].get(claim.delivery_id)["retry_at"]
        assert deliveries.claim_retries(db, now) == []
        waits.append(retry_at)
        now = datetime.fromisoformat(retry_at.replace("Z", "+00:00"))
        [claim] = deliveries.claim_retries(db, now)
    assert waits == ["2026-03-03T07:00:35Z", "2026-03-03T07:01:35Z", "2026-03-03T07:03:35Z",
                     "2026-03-03T07:07:35Z"]  # fmt: skip
    assert db["deliveries"].get(claim.delivery_id)["status"] == "failed"


def test_snooze_and_skip_today(tmp_path):
    db = open_db(tmp_path / "snooze.db")
    people(db, 1)
    checkin_at(db, 1, 8)
    now = datetime(2026, 3, 3, 7, 0, 5, tzinfo=UTC)
    [claim] = deliveries.claim_due(db, now)
    delivery = deliveries.get(db, claim.delivery_id, 1)
    assert deliveries.get(db, claim.delivery_id, 2) is None  # not someone else's
    assert deliveries.snooze(db, delivery, now + timedelta(hours=1), now)
    assert not deliveries.snooze(db, delivery, now + timedelta(hours=1), now)  # once only
    later = now + timedelta(hours=1)
    [again] = deliveries.claim_due(db, later)
    assert again.due == later
    # Skipping today drops anything left today and keeps tomorrow's regular time.
    snoozed = deliveries.get(db, again.delivery_id, 1)
    assert deliveries.snooze(db, snoozed, later + timedelta(hours=1), later)
    third = deliveries.claim_due(db, later + timedelta(hours=1))[0]
    assert deliveries.skip_today(db, deliveries.get(db, third.delivery_id, 1), later)
    assert schedules.checkin_for(db, 1).next_due == datetime(2026, 3, 4, 7, tzinfo=UTC)


def test_skip_today_cancels_a_pending_snooze(tmp_path):
    db = open_db(tmp_path / "skip.db")
    people(db, 1)
    schedules.add_stretch(
        db, 1, zone="Europe/Berlin", routine=None, weekdays="1234567",
        start=time(9), end=time(17), every=120, now=NOW,
    )  # fmt: skip
    now = datetime(2026, 3, 2, 9, 0, 5, tzinfo=UTC)  # 10:00 Berlin is not in 09-11-13...
    assert deliveries.claim_due(db, now) == []
    now = datetime(2026, 3, 2, 10, 0, 5, tzinfo=UTC)  # 11:00 Berlin
    [claim] = deliveries.claim_due(db, now)
    delivery = deliveries.get(db, claim.delivery_id, 1)
    assert deliveries.skip_today(db, delivery, now)
    # Tomorrow 09:00 Berlin, not 13:00 today.
    [row] = schedules.for_user(db, 1)
    assert row.next_due == datetime(2026, 3, 3, 8, tzinfo=UTC)


def test_a_time_zone_change_moves_every_schedule(tmp_path):
    db = open_db(tmp_path / "tz.db")
    people(db, 1)
    checkin_at(db, 1, 8)
    assert schedules.set_zone_for_user(db, 1, "America/New_York", NOW) == 1
    moved = schedules.checkin_for(db, 1)
    assert (moved.zone, moved.at) == ("America/New_York", time(8))
    assert moved.next_due == datetime(2026, 3, 2, 13, tzinfo=UTC)  # 08:00 EST today


def test_blocking_pauses_and_start_resumes_only_what_blocking_paused(tmp_path):
    db = open_db(tmp_path / "block.db")
    people(db, 1)
    checkin = checkin_at(db, 1, 8)
    paused_by_person = schedules.add_stretch(
        db, 1, zone="UTC", routine=None, weekdays="12345", at=time(12), now=NOW
    )
    schedules.set_active(db, paused_by_person.id, 1, False, NOW)
    assert schedules.pause_blocked(db, 1, NOW) == 1
    assert schedules.get(db, checkin.id, 1).paused_reason == "blocked"
    assert deliveries.claim_due(db, NOW + timedelta(days=3)) == []
    later = NOW + timedelta(days=3)
    assert schedules.resume_blocked(db, 1, later) == 1
    resumed = schedules.get(db, checkin.id, 1)
    assert resumed.active and resumed.next_due == datetime(2026, 3, 6, 7, tzinfo=UTC)
    assert not schedules.get(db, paused_by_person.id, 1).active


def test_rows_are_only_ever_touched_by_their_owner(tmp_path):
    db = open_db(tmp_path / "own.db")
    people(db, 1, 2)
    mine = checkin_at(db, 1, 8)
    assert schedules.get(db, mine.id, 2) is None
    assert schedules.set_active(db, mine.id, 2, False, NOW) is None
    assert not schedules.delete(db, mine.id, 2)
    assert schedules.get(db, mine.id, 1).active
    assert to_db(NOW) == "2026-03-02T09:00:00Z"
