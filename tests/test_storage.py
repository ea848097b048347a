"""Storage on a fresh database: migrations, registrations, the update inbox. One behaviour per test."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.wilayah import load_kecamatan
from storage import announcements, inbox, registrations, wilayah
from storage.announcements import AnnStatus, SendResult
from storage.db import Database
from storage.migrate import applied_versions, apply_pending, available, pending, split_statements
from storage.registrations import KecamatanState, Requester, RequestResult, Status

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
ADMIN = Requester(1001, "Admin Dinsos")
PENGURUS = Requester(2001, "Ketua KT")
SUMBER, WALED = "32.09.15", "32.09.01"


@pytest.fixture
async def fresh_db(tmp_path):
    db = Database(tmp_path / "test.db")
    await db.open()
    yield db
    await db.close()


@pytest.fixture
async def db(fresh_db):
    await apply_pending(fresh_db)
    await wilayah.sync(fresh_db, load_kecamatan())
    return fresh_db


async def test_listing_pending_migrations_on_an_empty_database_writes_nothing(fresh_db):
    assert [m.version for m in await pending(fresh_db)] == [m.version for m in available()]
    async with fresh_db.read() as tx:
        assert await tx.fetchval("SELECT COUNT(*) FROM sqlite_master") == 0


async def test_each_migration_is_recorded_and_applying_again_does_nothing(fresh_db):
    applied = await apply_pending(fresh_db)
    assert await applied_versions(fresh_db) == {m.version for m in applied}
    assert await apply_pending(fresh_db) == []


async def test_a_failing_migration_leaves_no_trace(fresh_db, monkeypatch):
    from storage import migrate

    broken = migrate.Migration(1, "broken", "CREATE TABLE a (x INTEGER);\nINSERT INTO nowhere VALUES (1);")
    monkeypatch.setattr(migrate, "available", lambda: [broken])
    with pytest.raises(Exception, match="nowhere"):
        await apply_pending(fresh_db)
    async with fresh_db.read() as tx:
        assert await tx.fetchval("SELECT COUNT(*) FROM sqlite_master WHERE name = 'a'") == 0
    assert await applied_versions(fresh_db) == set()


def test_statements_are_split_on_complete_sql_not_on_every_semicolon():
    script = "-- note; with a semicolon\nCREATE TABLE t (x TEXT DEFAULT ';');\nINSERT INTO t VALUES ('a;b');\n"
    assert len(split_statements(script)) == 2


async def test_seed_holds_the_40_kecamatan_and_424_villages_and_can_run_twice(db):
    await wilayah.sync(db, load_kecamatan())
    assert await wilayah.counts(db) == (40, 424)


async def _request(db, chat_id=-100, code=SUMBER, who=PENGURUS, title="KT Sumber"):
    return await registrations.request(
        db, kecamatan_code=code, chat_id=chat_id, chat_title=title, requester=who, now=NOW
    )


async def test_a_request_is_pending_and_a_repeat_is_recognised(db):
    first = await _request(db)
    again = await _request(db)
    assert first.result is RequestResult.CREATED and first.registration.status is Status.PENDING
    assert again.result is RequestResult.ALREADY_PENDING and again.registration.id == first.registration.id


async def test_asking_for_another_kecamatan_withdraws_the_pending_one(db):
    first = await _request(db, code=SUMBER)
    second = await _request(db, code=WALED)
    assert second.withdrawn is not None and second.withdrawn.id == first.registration.id
    assert (await registrations.get(db, first.registration.id)).status is Status.WITHDRAWN


async def test_approval_activates_and_a_second_decision_changes_nothing(db):
    reg = (await _request(db)).registration
    decision = await registrations.decide(db, reg.id, approve=True, admin=ADMIN, now=NOW)
    again = await registrations.decide(db, reg.id, approve=False, admin=ADMIN, now=NOW)
    assert decision.changed and decision.registration.status is Status.ACTIVE
    assert decision.registration.decided_by_name == "Admin Dinsos"
    assert not again.changed and again.registration.status is Status.ACTIVE


async def test_approving_a_replacement_retires_the_old_group(db):
    old = (await _request(db, chat_id=-1)).registration
    await registrations.decide(db, old.id, approve=True, admin=ADMIN, now=NOW)
    claim = await _request(db, chat_id=-2, title="KT Sumber Baru")
    assert claim.replaces is not None and claim.replaces.chat_id == -1
    decision = await registrations.decide(db, claim.registration.id, approve=True, admin=ADMIN, now=NOW)
    assert [r.chat_id for r in decision.retired] == [-1]
    assert (await registrations.get(db, old.id)).status is Status.RETIRED
    assert (await registrations.active_for_kecamatan(db, SUMBER)).chat_id == -2


async def test_an_active_group_moving_to_another_kecamatan_keeps_one_claim(db):
    first = (await _request(db, code=SUMBER)).registration
    await registrations.decide(db, first.id, approve=True, admin=ADMIN, now=NOW)
    moving = (await _request(db, code=WALED)).registration
    await registrations.decide(db, moving.id, approve=True, admin=ADMIN, now=NOW)
    assert await registrations.active_for_kecamatan(db, SUMBER) is None
    assert (await registrations.active_for_chat(db, -100)).kecamatan_code == WALED


async def test_rejection_is_final(db):
    reg = (await _request(db)).registration
    decision = await registrations.decide(db, reg.id, approve=False, admin=ADMIN, now=NOW)
    assert decision.registration.status is Status.REJECTED
    assert await registrations.active_for_chat(db, -100) is None


async def test_deciding_an_unknown_registration_returns_none(db):
    assert await registrations.decide(db, 999, approve=True, admin=ADMIN, now=NOW) is None


async def test_removing_the_bot_keeps_the_registration_as_inactive(db):
    reg = (await _request(db)).registration
    await registrations.decide(db, reg.id, approve=True, admin=ADMIN, now=NOW)
    ended = await registrations.deactivate_chat(db, -100, reason="bot dikeluarkan", now=NOW)
    assert [r.id for r in ended] == [reg.id]
    assert (await registrations.get(db, reg.id)).status is Status.INACTIVE
    states = {s.code: s.state for s in await registrations.overview(db)}
    assert states[SUMBER] is KecamatanState.INACTIVE


async def test_migration_moves_the_claim_and_is_idempotent(db):
    reg = (await _request(db, chat_id=-5)).registration
    assert await registrations.follow_migration(db, -5, -1005) == 1
    assert await registrations.follow_migration(db, -5, -1005) == 0
    assert (await registrations.get(db, reg.id)).chat_id == -1005


async def test_overview_lists_all_40_with_their_state(db):
    reg = (await _request(db, chat_id=-1, code=SUMBER)).registration
    await registrations.decide(db, reg.id, approve=True, admin=ADMIN, now=NOW)
    await _request(db, chat_id=-2, code=WALED)
    states = {s.code: s.state for s in await registrations.overview(db)}
    assert len(states) == 40
    assert states[SUMBER] is KecamatanState.ACTIVE and states[WALED] is KecamatanState.PENDING
    assert sum(s is KecamatanState.UNREGISTERED for s in states.values()) == 38


async def test_inbox_stores_once_and_forgets_only_processed_old_updates(db):
    assert await inbox.accept(db, [(7, {"update_id": 7})], NOW) == {7}
    assert await inbox.accept(db, [(7, {"update_id": 7})], NOW) == {7}
    assert await inbox.unprocessed(db) == [{"update_id": 7}]
    await inbox.mark_processed(db, 7, NOW)
    assert await inbox.accept(db, [(7, {"update_id": 7})], NOW) == set()
    assert await inbox.prune(db, NOW + timedelta(days=3)) == 1


async def test_a_nested_block_fails_loudly_instead_of_deadlocking(db):
    async with db.read():
        with pytest.raises(RuntimeError, match="nested"):
            async with db.transaction():
                pass


async def test_migration_0006_numbers_existing_reports_per_form_in_submission_order(fresh_db, monkeypatch):
    from storage import migrate
    from tests.support import reports

    everything = available()
    monkeypatch.setattr(migrate, "available", lambda: [m for m in everything if m.version < 6])
    await apply_pending(fresh_db)
    await wilayah.sync(fresh_db, load_kecamatan())
    async with fresh_db.transaction() as tx:
        for form, week in (
            ("laporan", None),
            ("evaluasi", "2026-11-16"),
            ("laporan", None),
            ("evaluasi", "2026-11-23"),
        ):
            await tx.execute(
                """INSERT INTO report (form, kecamatan_code, week, version, submitted_by_id, submitted_by,
                       created_at, updated_at) VALUES (?, ?, ?, 1, 1, 'Ketua', '2026-11-23T02:00:00Z',
                       '2026-11-23T02:00:00Z')""",
                (form, SUMBER, week),
            )
    monkeypatch.setattr(migrate, "available", lambda: everything)
    await apply_pending(fresh_db)
    async with fresh_db.read() as tx:
        numbered = await tx.fetchall("SELECT id, form, number FROM report ORDER BY id")
    assert [tuple(r) for r in numbered] == [
        (1, "laporan", 1),
        (2, "evaluasi", 1),
        (3, "laporan", 2),
        (4, "evaluasi", 2),
    ]
    # A new report continues its own form's count.
    report = await reports.stored_report(fresh_db, "evaluasi", user_id=5, user_name="Ketua", kecamatan_code=SUMBER,
                                         week="2026-11-30", now=NOW)  # fmt: skip
    assert report.number == 3


async def test_a_one_statement_write_waits_for_an_open_transaction_and_survives_its_rollback(db):
    """write_one shares the bot's one connection: run inside another task's transaction, it would be undone."""
    inside = asyncio.Event()

    async def failing_transaction() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO update_inbox (update_id, payload, received_at) VALUES (1, '{}', 'x')")
            inside.set()
            await asyncio.sleep(0)  # let the other task try to write meanwhile
            raise RuntimeError("the handler failed")

    async def one_statement() -> None:
        await inside.wait()
        await db.write_one("INSERT INTO update_inbox (update_id, payload, received_at) VALUES (2, '{}', 'x')")

    results = await asyncio.gather(failing_transaction(), one_statement(), return_exceptions=True)
    assert isinstance(results[0], RuntimeError) and results[1] is None
    async with db.read() as tx:
        assert [r[0] for r in await tx.fetchall("SELECT update_id FROM update_inbox")] == [2]
    # Committed, not left in an open transaction: a second connection sees it.
    other = Database(db.path)
    await other.open()
    try:
        async with other.read() as tx:
            assert await tx.fetchval("SELECT COUNT(*) FROM update_inbox") == 1
    finally:
        await other.close()


async def test_kirim_queues_the_copies_and_records_the_report_message_in_one_write(db):
    """The admin's pressed message becomes the progress and the report in the same write as the copies: a stop
    right after Kirim cannot leave copies going out with no report to show for them."""
    outcome = await _request(db)
    await registrations.decide(db, outcome.registration.id, approve=True, admin=ADMIN, now=NOW)
    draft = await announcements.start_draft(db, admin_id=1001, admin_name="Siti", now=NOW)
    await announcements.set_content(db, draft.id, announcements.Content("text", "Rapat Senin", []))
    assert await announcements.send(db, draft.id, now=NOW, progress_message_id=77) == (SendResult.QUEUED, 1)
    sent = await announcements.get(db, draft.id)
    assert sent is not None and sent.status is AnnStatus.SENDING and sent.progress_message_id == 77
    assert [d.status for d in await announcements.deliveries(db, draft.id)] == ["pending"]
