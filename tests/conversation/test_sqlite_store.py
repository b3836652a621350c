"""SqliteStore: persistence, pruning, migrations from v1 and v4, and refusing files it cannot use."""

from __future__ import annotations

import sqlite3
import threading
import subprocess
import sys
import textwrap

import pytest

from bot.conversation.model import Case, Profile
from bot.conversation.model import CLOSED, CaseEvent, Reminder
from bot.conversation.sqlite_store import (MIGRATIONS, SCHEMA_VERSION, SqliteStore, StoreLocked, StoreUnreadable)

T1, T2, T7, T8, T11, T12, T999 = (f"telegram:{n}" for n in (1, 2, 7, 8, 11, 12, 999))


def _case(merchant_id: str, case_id: int, **kw) -> Case:
    return Case(merchant_id=merchant_id, case_id=case_id, scenario=kw.pop("scenario", "missing_items"),
                slots=kw.pop("slots", {"quantity": 2, "amount": 9.9, "tracking_number": "SF1409823356721"}), **kw)


def test_profiles_and_cases_survive_reopening(tmp_path):
    path = tmp_path / "negobot.sqlite3"
    store = SqliteStore(path)
    store.save_profile(Profile(merchant_id=T7, locale="zh_TW", locale_chosen=True, shop="小鹿家居 <b>&", signature="阿敏", tone="formal"))
    cid = store.new_case_id(T7)
    store.save_case(_case(T7, cid, remedy="partial_refund", audience="platform", draft_locale="en", confidence=0.83,
                          alternatives=["resale_affected"], pending="amount", skipped=["carrier"]))
    store.close()

    again = SqliteStore(path)
    assert again.load_profile(T7) == Profile(T7, "zh_TW", True, "小鹿家居 <b>&", "阿敏", "formal")
    case = again.latest_case(T7)
    assert case == again.load_case(T7, cid)
    assert (case.slots, case.remedy, case.audience, case.draft_locale, case.pending, case.skipped) == (
        {"quantity": 2, "amount": 9.9, "tracking_number": "SF1409823356721"}, "partial_refund", "platform", "en", "amount", ["carrier"])
    assert again.load_profile(T8) is None and again.latest_case(T8) is None
    assert again.schema_version() == SCHEMA_VERSION
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_old_cases_are_pruned_and_ids_are_never_reused(tmp_path):
    store = SqliteStore(tmp_path / "db", keep_cases=5)
    for _ in range(12):
        store.save_case(_case(T1, store.new_case_id(T1), status=CLOSED))
    store.save_case(_case(T2, store.new_case_id(T2), status=CLOSED))
    assert store.case_count(T1) == 5 and store.case_count(T2) == 1
    assert store.load_case(T1, 7) is None and store.load_case(T1, 8) is not None
    store.close()
    store = SqliteStore(tmp_path / "db", keep_cases=5)
    assert store.new_case_id(T1) == 13          # a button of pruned case 3 can never reach a new case 3


V1_ROWS = """
INSERT INTO profiles VALUES (11, 'en', 1, 'Deer Home', 'Amy', 'formal');
INSERT INTO profiles VALUES (12, 'zh_CN', 0, NULL, NULL, 'warm');
INSERT INTO cases VALUES (11, 3, 'missing_items', '{"quantity": 1}', 'partial_refund', 'buyer', 'en', 0.9, '[]', 'amount', '[]');
INSERT INTO cases VALUES (11, 9, 'damaged_in_transit', '{}', 'carrier_claim', 'carrier', 'en', NULL, '[]', NULL, '["carrier"]');
"""


def test_a_v1_file_is_migrated_and_keeps_everything(tmp_path):
    path = tmp_path / "v1.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0] + V1_ROWS + "PRAGMA user_version = 1;")
    db.close()

    store = SqliteStore(path)
    assert store.schema_version() == SCHEMA_VERSION == 7
    assert store.load_profile(T11) == Profile(T11, "en", True, "Deer Home", "Amy", "formal")
    assert store.load_case(T11, 9).skipped == ["carrier"] and store.latest_case(T11).case_id == 9
    assert store.new_case_id(T11) == 10 and store.new_case_id(T12) == 1
    columns = {row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(cases)")}
    assert {"updated_at", "amount_kind", "facts"} <= columns
    assert store.load_case(T11, 9).facts == {}             # no facts were read before v4
    assert store.load_case(T11, 3).amount_kind is None      # unknown before v3: drafted as a refund amount
    assert [c.case_id for c in store.open_cases(T11)] == [9, 3]   # cases from before v7 stay open to follow
    assert store.events(T11, 9) == [] and store.pending_reminder(T11, 9) is None


def test_a_case_history_and_its_state_survive_a_restart(tmp_path):
    store = SqliteStore(tmp_path / "db")
    case = _case(T1, store.new_case_id(T1), remedy="partial_refund", limit=120.0, refused=["resend_missing_items"],
                 title="王女士 四件套", created_at=1_764_470_000.0)
    store.save_case(case)
    store.add_event(T1, CaseEvent(case.case_id, 1_764_470_100.0, "answer", {"stance": "refuses", "words": "不行，必须全额"}))
    store.add_event(T1, CaseEvent(case.case_id, 1_764_470_200.0, "note", {"text": "买家电话沟通过"}))
    store.close()
    store = SqliteStore(tmp_path / "db")
    again = store.load_case(T1, case.case_id)
    assert (again.limit, again.refused, again.title, again.status) == (120.0, ["resend_missing_items"], "王女士 四件套", "open")
    assert again.created_at == 1_764_470_000.0
    assert [(e.kind, e.data) for e in store.events(T1, case.case_id)] == [
        ("answer", {"stance": "refuses", "words": "不行，必须全额"}), ("note", {"text": "买家电话沟通过"})]
    again.status, again.outcome = CLOSED, "settled"
    store.save_case(again)
    assert store.open_cases(T1) == [] and store.load_case(T1, case.case_id).outcome == "settled"


def test_a_due_reminder_is_claimed_once_across_two_processes(tmp_path):
    """Two stores over one file stand for two bot processes: each reminder goes to exactly one."""
    path = tmp_path / "db"
    first, second = SqliteStore(path), SqliteStore(path)
    for case_id in range(1, 21):
        first.set_reminder(T1, case_id, 1000.0 + case_id)
    first.set_reminder(T2, 1, 5000.0)                      # not due yet
    claimed: list[int] = []

    def claim(store):
        for _ in range(10):
            claimed.extend(r.case_id for r in store.claim_due_reminders(2000.0, "p", limit=3))

    threads = [threading.Thread(target=claim, args=(s,)) for s in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(claimed) == list(range(1, 21))           # every due one, none twice
    assert first.claim_due_reminders(9999.0, "p") == [Reminder(21, T2, 1, 5000.0)]
    assert second.claim_due_reminders(9999.0, "p") == []


def test_a_new_reminder_replaces_the_unsent_one_and_closing_cancels(tmp_path):
    store = SqliteStore(tmp_path / "db")
    store.set_reminder(T1, 4, 100.0)
    store.set_reminder(T1, 4, 300.0)
    assert store.pending_reminder(T1, 4) == 300.0
    store.cancel_reminders(T1, 4)
    assert store.pending_reminder(T1, 4) is None and store.claim_due_reminders(1000.0, "p") == []


def test_the_amount_kind_of_a_case_survives_a_restart(tmp_path):
    store = SqliteStore(tmp_path / "db")
    case = _case(T1, store.new_case_id(T1))
    case.amount_kind = "deduction"
    store.save_case(case)
    store.close()
    assert SqliteStore(tmp_path / "db").load_case(T1, case.case_id).amount_kind == "deduction"


@pytest.mark.parametrize("content", [
    b"this is my shopping list, not a database\n" * 20,
    b"SQLite format 3\x00" + b"\xff" * 4000,          # right header, garbage after it
])
def test_a_corrupt_or_foreign_file_is_refused_and_left_untouched(tmp_path, content):
    path = tmp_path / "negobot.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StoreUnreadable) as caught:
        SqliteStore(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message and "left untouched" in message
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["negobot.sqlite3"]


def test_another_programs_database_and_a_newer_schema_are_refused(tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).executescript("CREATE TABLE invoices (id INTEGER); INSERT INTO invoices VALUES (1);")
    with pytest.raises(StoreUnreadable, match="another program"):
        SqliteStore(other)
    assert sqlite3.connect(other).execute("SELECT COUNT(*) FROM invoices").fetchone() == (1,)

    newer = tmp_path / "newer.db"
    SqliteStore(newer).close()
    sqlite3.connect(newer).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreUnreadable, match="newer negobot"):
        SqliteStore(newer)


def _hold_lock(path, sql: str) -> subprocess.Popen:
    """Another process that holds a lock on the database until its stdin closes."""
    script = textwrap.dedent(f"""
        import sqlite3, sys
        db = sqlite3.connect({str(path)!r}, isolation_level=None)
        for statement in {sql!r}.split(";"):
            if statement.strip():
                db.execute(statement)
        print("locked", flush=True)
        sys.stdin.read()
        db.execute("ROLLBACK")
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_a_database_locked_by_another_process_gives_a_clear_error_at_start(tmp_path):
    path = tmp_path / "negobot.sqlite3"
    holder = _hold_lock(path, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE t (x)")
    try:
        with pytest.raises(StoreLocked) as caught:
            SqliteStore(path, busy_timeout_ms=100)
        assert "locked by another process" in str(caught.value) and "\n" not in str(caught.value)
    finally:
        holder.communicate("")


def test_a_write_lock_during_the_conversation_fails_one_write_and_loses_nothing(tmp_path):
    path = tmp_path / "negobot.sqlite3"
    store = SqliteStore(path, busy_timeout_ms=100)
    store.save_profile(Profile(T1, shop="甲店"))
    holder = _hold_lock(path, "BEGIN IMMEDIATE; INSERT INTO profiles (channel, user_id, locale) VALUES ('telegram', '999', 'en')")
    try:
        assert store.load_profile(T1).shop == "甲店"            # reading still works (WAL)
        with pytest.raises(StoreLocked):
            store.save_profile(Profile(T2, shop="乙店"))
    finally:
        holder.communicate("")
    store.save_profile(Profile(T2, shop="乙店"))                 # and once the lock is gone, writes work again
    assert store.load_profile(T1).shop == "甲店" and store.load_profile(T2).shop == "乙店"
    assert store.load_profile(T999) is None                     # the other process rolled back


V4_ROWS = """
INSERT INTO profiles (merchant_id, locale, locale_chosen, shop, signature, tone, updated_at)
    VALUES (5550001, 'zh_TW', 1, '小鹿家居', '阿敏', 'formal', '2026-11-01T08:00:00Z');
INSERT INTO profiles (merchant_id, locale, locale_chosen, shop, signature, tone, updated_at)
    VALUES (-42, 'en', 0, NULL, NULL, 'warm', '2026-11-02T08:00:00Z');
INSERT INTO cases (merchant_id, case_id, scenario, slots, remedy, audience, draft_locale, confidence, alternatives,
                   pending, skipped, updated_at, amount_kind, facts)
    VALUES (5550001, 31, 'missing_items', '{"quantity": 2}', 'partial_refund', 'platform', 'zh_TW', 0.91,
            '["wrong_item_returned"]', 'amount', '["carrier"]', '2026-11-01T08:01:00Z', 'deduction', '{"item": "杯子"}');
INSERT INTO case_counters (merchant_id, last_case_id) VALUES (5550001, 33);
"""


def test_a_v4_file_keeps_every_telegram_merchant_as_channel_telegram(tmp_path):
    path = tmp_path / "v4.sqlite3"
    db = sqlite3.connect(path)
    db.executescript("".join(MIGRATIONS[:4]) + V4_ROWS + "PRAGMA user_version = 4;")
    db.close()

    store = SqliteStore(path)
    assert store.schema_version() == SCHEMA_VERSION
    assert store.load_profile("telegram:5550001") == Profile("telegram:5550001", "zh_TW", True, "小鹿家居", "阿敏", "formal")
    assert store.load_profile("telegram:-42").locale == "en"
    case = store.latest_case("telegram:5550001")
    assert (case.case_id, case.slots, case.remedy, case.audience, case.pending, case.skipped, case.amount_kind, case.facts) == (
        31, {"quantity": 2}, "partial_refund", "platform", "amount", ["carrier"], "deduction", {"item": "杯子"})
    assert store.new_case_id("telegram:5550001") == 34             # the counter carried over: no id handed out twice
    assert store.load_profile("wecom:5550001") is None             # the same id on another channel is someone else
    rows = sqlite3.connect(path).execute("SELECT channel, user_id FROM profiles ORDER BY user_id").fetchall()
    assert rows == [("telegram", "-42"), ("telegram", "5550001")]


def test_the_same_user_id_on_two_channels_is_two_merchants(tmp_path):
    store = SqliteStore(tmp_path / "db")
    store.save_profile(Profile("telegram:123", shop="甲店"))
    store.save_profile(Profile("wecom:123", shop="乙店"))
    store.save_profile(Profile("wecom:ZhangSan", locale="en"))
    assert store.new_case_id("wecom:123") == 1 and store.new_case_id("telegram:123") == 1
    store.save_case(_case("wecom:123", 1))
    assert store.latest_case("telegram:123") is None and store.latest_case("wecom:123").case_id == 1
    assert store.load_profile("telegram:123").shop == "甲店" and store.load_profile("wecom:123").shop == "乙店"
    assert store.load_profile("wecom:zhangsan") is None           # WeCom UserIDs are kept exactly as sent


def test_a_message_id_is_claimed_once_even_across_a_restart(tmp_path):
    store = SqliteStore(tmp_path / "db")
    assert store.claim_message("wecom:msg:1456453720", 600) is True
    assert store.claim_message("wecom:msg:1456453720", 600) is False
    store.close()
    again = SqliteStore(tmp_path / "db")
    assert again.claim_message("wecom:msg:1456453720", 600) is False
    assert again.claim_message("wecom:msg:1456453721", 600) is True
    assert again.claim_message("wecom:event:x", -1) is True        # already expired: claimable again
    assert again.claim_message("wecom:event:x", 600) is True


def test_the_choices_last_shown_survive_a_restart(tmp_path):
    store = SqliteStore(tmp_path / "db")
    assert store.load_menu("wecom:lisi") == []
    store.save_menu("wecom:lisi", ["au:1:platform", "nt:1"])
    store.save_menu("telegram:7", ["ls"])
    store.close()
    again = SqliteStore(tmp_path / "db")
    assert again.load_menu("wecom:lisi") == ["au:1:platform", "nt:1"] and again.load_menu("telegram:7") == ["ls"]


def test_the_v5_step_keeps_its_meaning_after_another_migration_that_lands_before_it(tmp_path):
    """Another branch may add a migration 4 → 5 (a column on cases, a reminders table); put before
    this one, every row still moves to channel 'telegram' and nothing that branch added is lost."""
    other = """
    ALTER TABLE cases ADD COLUMN buyer_answer TEXT;
    CREATE TABLE reminders (id INTEGER PRIMARY KEY, merchant_id INTEGER NOT NULL, case_id INTEGER NOT NULL,
                            due_at TEXT NOT NULL, sent INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX reminders_due ON reminders (due_at, merchant_id);
    """
    path = tmp_path / "v5-other.sqlite3"
    db = sqlite3.connect(path)
    db.executescript("".join(MIGRATIONS[:4]) + V4_ROWS + other + """
        UPDATE cases SET buyer_answer = '同意' WHERE case_id = 31;
        INSERT INTO reminders (merchant_id, case_id, due_at) VALUES (5550001, 31, '2026-12-01T08:00:00Z');
        PRAGMA user_version = 4;""")
    db.close()
    db = sqlite3.connect(path)
    MIGRATIONS[4](db)
    rows = db.execute("SELECT channel, user_id, case_id, buyer_answer FROM cases").fetchall()
    assert rows == [("telegram", "5550001", 31, "同意")]
    db.execute("INSERT INTO reminders (channel, user_id, case_id, due_at) VALUES ('wecom', 'lisi', 1, 'x')")
    assert db.execute("SELECT id, channel, user_id, due_at, sent FROM reminders ORDER BY id").fetchall() == [
        (1, "telegram", "5550001", "2026-12-01T08:00:00Z", 0), (2, "wecom", "lisi", "x", 0)]   # id still counts up
    (index,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'reminders_due'").fetchone()
    assert "channel, user_id" in index
    assert db.execute("SELECT channel, user_id, last_case_id FROM case_counters").fetchall() == [("telegram", "5550001", 33)]


def test_what_one_update_writes_is_saved_together_or_not_at_all(tmp_path):
    path = tmp_path / "negobot.sqlite3"
    store, other = SqliteStore(path), SqliteStore(path)       # another process's view of the file
    with pytest.raises(RuntimeError):
        with store.unit():
            store.save_profile(Profile(merchant_id=T7, locale="en"))
            store.save_case(_case(T7, store.new_case_id(T7)), (CaseEvent(1, 1.0, "opened", {}),))
            raise RuntimeError("the update failed half-way")
    assert store.load_profile(T7) is None and store.latest_case(T7) is None and store.events(T7, 1) == []
    assert store.new_case_id(T7) == 1                          # the failed update's case id was not used up

    with store.unit():
        store.save_profile(Profile(merchant_id=T7, locale="en"))
        with store.unit():                                     # an entry point calling another joins its unit
            store.save_case(_case(T7, 2), (CaseEvent(2, 1.0, "opened", {}),))
        assert other.load_profile(T7) is None                  # nothing is visible before the update is done
    assert other.load_profile(T7).locale == "en" and other.latest_case(T7).case_id == 2
    assert [e.kind for e in other.events(T7, 2)] == ["opened"]


def test_a_locked_database_fails_the_whole_update_with_a_clear_error(tmp_path):
    path = tmp_path / "negobot.sqlite3"
    store = SqliteStore(path, busy_timeout_ms=50)
    store.save_profile(Profile(merchant_id=T7, locale="en"))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")                          # another process writing
    try:
        with pytest.raises(StoreLocked, match="locked by another process"):
            with store.unit():
                assert store.load_profile(T7).locale == "en"  # reads go on
                store.save_profile(Profile(merchant_id=T7, locale="zh_TW"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.load_profile(T7).locale == "en"
    with store.unit():                                         # and the next update goes through
        store.save_profile(Profile(merchant_id=T7, locale="zh_TW"))
    assert store.load_profile(T7).locale == "zh_TW"


def test_writes_held_back_are_saved_only_when_the_transport_saves_them(tmp_path):
    path = tmp_path / "negobot.sqlite3"
    store, other = SqliteStore(path), SqliteStore(path)
    with store.write_behind() as held:
        with store.unit():
            case_id = store.new_case_id(T7)
            store.save_case(_case(T7, case_id), (CaseEvent(case_id, 1.0, "opened", {"description": "少了一件"}),))
            store.save_profile(Profile(merchant_id=T7, locale="zh_TW"))
    assert case_id == 1
    assert other.latest_case(T7) is None and other.load_profile(T7) is None    # the answer goes out first
    held.save()
    assert other.latest_case(T7).case_id == 1 and other.load_profile(T7).locale == "zh_TW"
    assert [e.data for e in other.events(T7, 1)] == [{"description": "少了一件"}]
    assert other.new_case_id(T7) == 2                          # the number was taken when saved
    held.save()                                                # saving twice writes nothing twice
    assert len(other.events(T7, 1)) == 1


def test_an_update_that_reads_after_writing_reads_what_it_wrote_and_saves_as_before(tmp_path):
    path = tmp_path / "negobot.sqlite3"
    store, other = SqliteStore(path), SqliteStore(path)
    with store.write_behind() as held:
        with store.unit():
            store.save_case(_case(T7, store.new_case_id(T7)))
            assert store.latest_case(T7).case_id == 1          # the held writes ran first
            store.save_profile(Profile(merchant_id=T7, locale="en"))
        assert other.latest_case(T7).case_id == 1 and other.load_profile(T7).locale == "en"   # committed with the unit
    held.save()
    assert other.case_count(T7) == 1


def test_a_failed_update_leaves_nothing_held(tmp_path):
    store = SqliteStore(tmp_path / "negobot.sqlite3")
    with store.write_behind() as held:
        with pytest.raises(RuntimeError):
            with store.unit():
                store.save_case(_case(T7, store.new_case_id(T7)))
                raise RuntimeError("the update failed half-way")
    held.save()
    assert store.latest_case(T7) is None and store.new_case_id(T7) == 1


def test_held_writes_refused_by_a_locked_database_are_kept_whole_for_nobody(tmp_path):
    path = tmp_path / "negobot.sqlite3"
    store = SqliteStore(path, busy_timeout_ms=50)
    with store.write_behind() as held:
        with store.unit():
            store.save_case(_case(T7, store.new_case_id(T7)), (CaseEvent(1, 1.0, "opened", {}),))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreLocked, match="locked by another process"):
            held.save()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.latest_case(T7) is None and store.events(T7, 1) == [] and store.new_case_id(T7) == 1


def test_a_case_number_taken_meanwhile_saves_nothing_of_the_update(tmp_path):
    path = tmp_path / "negobot.sqlite3"
    store, other = SqliteStore(path), SqliteStore(path)
    with store.write_behind() as held:
        with store.unit():
            store.save_case(_case(T7, store.new_case_id(T7)), (CaseEvent(1, 1.0, "opened", {"by": "held"}),))
    with other.unit():                                         # another process numbers a case first
        other.save_case(_case(T7, other.new_case_id(T7)), (CaseEvent(1, 2.0, "opened", {"by": "other"}),))
    with pytest.raises(StoreLocked, match="try again"):
        held.save()
    assert [e.data for e in store.events(T7, 1)] == [{"by": "other"}] and store.new_case_id(T7) == 2
