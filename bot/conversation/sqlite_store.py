"""The bot's Store on SQLite (standard library): merchant settings and recent cases, kept across restarts.

- WAL journal and a busy timeout, so short lock contention waits instead of failing;
- the schema version in ``PRAGMA user_version`` and one migration step per version
  (``MIGRATIONS[n]`` upgrades version n to n + 1), run in a transaction at open;
- a file that is not a negobot database (corrupt, not SQLite, another program's, or from a newer
  negobot), or one locked by another process, raises StoreError with a one-line message. The
  file is never deleted, rewritten or "repaired";
- merchants are keyed by (channel, user_id): "telegram:123" is stored as ('telegram', '123');
- only the last ``keep_cases`` cases per merchant are kept. Case ids keep counting up after
  pruning, so a button from a pruned case is reported as expired instead of reaching another case.

One connection shared by the threads that serve merchants, each operation under a lock. What one
update writes is one transaction (``unit()``, opened by the conversation's entry points): saved
together when the update has been handled, or not at all if handling it failed. A transport may
hold an update's writes back until its answer is on its way (``write_behind()``), so the answer
does not wait for them.
"""

from __future__ import annotations

import calendar
import json
import re
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Sequence

from bot.conversation.model import (DEFAULT_TIMEZONE, OPEN, Case, CaseEvent, MerchantKey, Profile, Reminder,
                                    merchant_key, split_merchant_key)

KEEP_CASES = 50
DEFAULT_BUSY_TIMEOUT_MS = 5000


def _key_merchants_by_channel(db: sqlite3.Connection) -> None:
    """Profiles, cases, case counters — every table with a ``merchant_id`` column — are keyed by
    (channel, user_id) instead of the Telegram user id alone (WeCom UserIDs are strings). Every
    existing row becomes channel 'telegram' with its id as text; all other columns, their defaults
    and the rest of each primary key are copied as they are, and indexes are rebuilt on the new
    key, so this step keeps its meaning wherever it lands among other migrations. It also adds the
    ids of incoming messages already handled (a message a channel delivers twice — WeCom retries —
    is answered once, even across a restart) and the choices last shown as numbered lines (so "3"
    still works after one)."""
    tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    for table in tables:
        columns = db.execute(f"PRAGMA table_info({table})").fetchall()    # cid, name, type, notnull, default, pk
        if "merchant_id" not in [c[1] for c in columns]:
            continue
        indexes = [row[0] for row in db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,))]
        kept = [c for c in columns if c[1] != "merchant_id"]
        own_key = [c[1] for c in sorted(kept, key=lambda c: c[5]) if c[5]]
        merchant_in_key = any(c[1] == "merchant_id" and c[5] for c in columns)
        key = ["channel", "user_id", *own_key] if merchant_in_key else own_key
        rowid_alias = len(key) == 1 and any(c[1] == key[0] and c[2].upper() == "INTEGER" for c in kept)
        definitions = ["channel TEXT NOT NULL", "user_id TEXT NOT NULL"] + [
            f"{name} {kind}{' PRIMARY KEY' if rowid_alias and name == key[0] else ''}"
            f"{' NOT NULL' if notnull else ''}{f' DEFAULT {default}' if default is not None else ''}"
            for _cid, name, kind, notnull, default, _pk in kept]
        if key and not rowid_alias:
            definitions.append(f"PRIMARY KEY ({', '.join(key)})")
        names = ", ".join(c[1] for c in kept)
        db.execute(f"CREATE TABLE {table}_v5 ({', '.join(definitions)})")
        db.execute(f"INSERT INTO {table}_v5 (channel, user_id, {names}) "
                   f"SELECT 'telegram', CAST(merchant_id AS TEXT), {names} FROM {table}")
        db.execute(f"DROP TABLE {table}")
        db.execute(f"ALTER TABLE {table}_v5 RENAME TO {table}")
        for sql in indexes:
            db.execute(re.sub(r"\bmerchant_id\b", "channel, user_id", sql))
    db.execute("CREATE TABLE seen_messages (message_key TEXT PRIMARY KEY, expires_at REAL NOT NULL)")
    db.execute("CREATE INDEX seen_messages_expiry ON seen_messages (expires_at)")
    db.execute("""CREATE TABLE menus (channel TEXT NOT NULL, user_id TEXT NOT NULL, actions TEXT NOT NULL DEFAULT '[]',
                                      updated_at TEXT, PRIMARY KEY (channel, user_id))""")


# MIGRATIONS[n] takes a version-n database to version n + 1 (version 0 = empty file): an SQL script,
# or a function of the connection where the step depends on what the tables hold.
MIGRATIONS: list[str | Callable[[sqlite3.Connection], None]] = [
    # 0 → 1: profiles and cases
    """
    CREATE TABLE profiles (
        merchant_id   INTEGER PRIMARY KEY,
        locale        TEXT    NOT NULL,
        locale_chosen INTEGER NOT NULL DEFAULT 0,
        shop          TEXT,
        signature     TEXT,
        tone          TEXT    NOT NULL DEFAULT 'warm'
    );
    CREATE TABLE cases (
        merchant_id  INTEGER NOT NULL,
        case_id      INTEGER NOT NULL,
        scenario     TEXT    NOT NULL,
        slots        TEXT    NOT NULL DEFAULT '{}',
        remedy       TEXT,
        audience     TEXT    NOT NULL DEFAULT 'buyer',
        draft_locale TEXT    NOT NULL,
        confidence   REAL,
        alternatives TEXT    NOT NULL DEFAULT '[]',
        pending      TEXT,
        skipped      TEXT    NOT NULL DEFAULT '[]',
        PRIMARY KEY (merchant_id, case_id)
    );
    """,
    # 1 → 2: a per-merchant case counter that survives pruning (v1 derived the next id from the
    # cases still stored, so a pruned id could be handed out again and old buttons would reach a
    # new case), and timestamps on profiles and cases.
    """
    CREATE TABLE case_counters (
        merchant_id INTEGER PRIMARY KEY,
        last_case_id INTEGER NOT NULL
    );
    INSERT INTO case_counters (merchant_id, last_case_id)
        SELECT merchant_id, MAX(case_id) FROM cases GROUP BY merchant_id;
    ALTER TABLE profiles ADD COLUMN updated_at TEXT;
    ALTER TABLE cases ADD COLUMN updated_at TEXT;
    UPDATE profiles SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
    UPDATE cases SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
    """,
    # 2 → 3: whether the case's amount is the new refund or a deduction from it (NULL: not known,
    # which drafts read as a refund amount, as v2 did).
    """
    ALTER TABLE cases ADD COLUMN amount_kind TEXT;
    """,
    # 3 → 4: the facts the description gave beyond the slots (item, what is wrong, who is at fault,
    # whether the goods came back, evidence, gifts), which choose the remedies and fill the drafts.
    """
    ALTER TABLE cases ADD COLUMN facts TEXT NOT NULL DEFAULT '{}';
    """,
    # 4 → 5: one merchant, one identity per channel (see _key_merchants_by_channel).
    _key_merchants_by_channel,
    # 5 → 6: the shop's contact phone, which carrier letters give (/phone); NULL: not set.
    """
    ALTER TABLE profiles ADD COLUMN phone TEXT;
    """,
    # 6 → 7: cases followed to their end — open or closed with an outcome, the merchant's name for a
    # case, its limit and the remedies the buyer refused; each case's history (what was offered,
    # what the buyer answered and how it was read, notes, reminders); reminders, claimed atomically
    # when due; the shop's time zone and default limit. Cases from before are open; those whose
    # description was not a return problem are closed (there is nothing to negotiate).
    """
    ALTER TABLE cases ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
    ALTER TABLE cases ADD COLUMN outcome TEXT;
    ALTER TABLE cases ADD COLUMN title TEXT;
    ALTER TABLE cases ADD COLUMN limit_amount REAL;
    ALTER TABLE cases ADD COLUMN refused TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE cases ADD COLUMN created_at TEXT;
    UPDATE cases SET created_at = updated_at;
    UPDATE cases SET status = 'closed' WHERE scenario = 'unknown';
    CREATE INDEX cases_open ON cases (channel, user_id, status, updated_at);
    ALTER TABLE profiles ADD COLUMN timezone TEXT;
    ALTER TABLE profiles ADD COLUMN default_limit REAL;
    ALTER TABLE profiles ADD COLUMN awaiting TEXT;
    CREATE TABLE case_events (
        event_id INTEGER PRIMARY KEY,
        channel  TEXT    NOT NULL,
        user_id  TEXT    NOT NULL,
        case_id  INTEGER NOT NULL,
        at       REAL    NOT NULL,
        kind     TEXT    NOT NULL,
        data     TEXT    NOT NULL DEFAULT '{}'
    );
    CREATE INDEX case_events_case ON case_events (channel, user_id, case_id, event_id);
    CREATE TABLE reminders (
        reminder_id INTEGER PRIMARY KEY,
        channel     TEXT    NOT NULL,
        user_id     TEXT    NOT NULL,
        case_id     INTEGER NOT NULL,
        due_at      REAL    NOT NULL,
        created_at  REAL    NOT NULL,
        claimed_by  TEXT,
        claimed_at  REAL
    );
    CREATE INDEX reminders_due ON reminders (claimed_at, due_at);
    CREATE INDEX reminders_case ON reminders (channel, user_id, case_id);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
_OWN_TABLES = {"profiles", "cases", "case_counters", "seen_messages", "menus", "case_events", "reminders"}
_NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"


def default_db_path() -> Path:
    """`negobot.sqlite3` in the user's data directory, for every channel's runner."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("negobot")) / "negobot.sqlite3"


class StoreError(Exception):
    """The settings database cannot be used right now; str() is one line for a person."""


class StoreLocked(StoreError):
    """Another process holds the database; trying again later may work."""


class StoreUnreadable(StoreError):
    """The file is not a negobot database this version can use; it is left untouched."""


class SqliteStore:
    def __init__(self, path: str | Path, *, keep_cases: int = KEEP_CASES,
                 busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS):
        self.path = Path(path)
        self.keep_cases = keep_cases
        self._lock = threading.RLock()
        self._units = 0                     # depth of unit() on the thread holding the lock
        self._held: list[Callable[[sqlite3.Connection], None]] | None = None   # writes held back (write_behind)
        if self.path.is_dir():
            raise StoreUnreadable(f"settings database {self.path} is a directory, not a file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for the settings database {self.path}: {exc.strerror or exc}") from None
        if self.path.exists():
            _check_header(self.path)
        try:
            self._db = sqlite3.connect(self.path, timeout=busy_timeout_ms / 1000, isolation_level=None,
                                       check_same_thread=False)
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            self._migrate()
            mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":     # e.g. a file system without shared memory: still usable
                self._db.execute("PRAGMA journal_mode = DELETE")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            self._db.close()
            raise self._error(exc) from None
        except StoreError:
            self._db.close()
            raise

    # ---- schema -----------------------------------------------------------
    def schema_version(self) -> int:
        with self._op():
            return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreUnreadable(f"settings database {self.path} was written by a newer negobot (schema {version}, "
                                  f"this one reads up to {SCHEMA_VERSION}); upgrade negobot or use another --db")
        if version == SCHEMA_VERSION:
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]   # another process may have migrated
            if version == 0:
                tables = {row[0] for row in self._db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
                if tables:
                    raise StoreUnreadable(f"{self.path} is an SQLite database of another program (tables: "
                                          f"{', '.join(sorted(tables)[:5])}); point --db at a new file")
            while version < SCHEMA_VERSION:
                step = MIGRATIONS[version]
                if callable(step):
                    step(self._db)
                else:
                    for statement in _statements(step):
                        self._db.execute(statement)
                version += 1
                self._db.execute(f"PRAGMA user_version = {version}")
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    # ---- plumbing ---------------------------------------------------------
    @contextmanager
    def write_behind(self) -> Iterator[HeldStatements]:
        """Within this block, an update's writes are held back and handed out as HeldStatements, to be
        saved (HeldStatements.save) once its answer has been sent: the merchant's answer no longer waits
        for the INSERTs and the commit, about a tenth of a millisecond of every description.

        Held only while nothing needs them yet: a read, or a write whose result is used (a claim),
        first runs what is held, in the update's transaction, which then commits at the end of the
        unit as without this block. Nothing the update reads can miss what it wrote. The caller
        must keep the merchant's next update waiting until save() has returned (the Telegram adapter's
        per-merchant lock): other merchants' updates touch other rows."""
        with self._lock:
            held = HeldStatements(self)
            self._held = held.writes
            try:
                yield held
            finally:
                self._held = None

    def _holding(self) -> bool:
        """Whether a write now may be held back: inside write_behind() and a unit, no transaction open."""
        return self._held is not None and self._units > 0 and not self._db.in_transaction

    def _write(self, statements: Callable[[sqlite3.Connection], None]) -> None:
        """A write whose result nothing reads: held back when it may be (write_behind), else run now."""
        if self._holding():
            self._held.append(statements)
            return
        with self._op(write=True) as db:
            statements(db)

    def _run_held(self) -> None:
        """What write_behind() held back, run now in a transaction that the caller commits."""
        if not self._held:
            return
        if not self._db.in_transaction:
            self._db.execute("BEGIN IMMEDIATE")
        writes = list(self._held)
        self._held.clear()
        for statements in writes:
            statements(self._db)

    def _save_held(self, writes: list[Callable[[sqlite3.Connection], None]]) -> None:
        with self._lock:
            if self._units:
                raise RuntimeError("held writes are saved after the update's unit, not inside one")
            with self._op(write=True) as db:        # one transaction: all of them, or none
                for statements in writes:
                    statements(db)

    @contextmanager
    def unit(self) -> Iterator[None]:
        """What one update writes, as one transaction: begun by its first write, committed when the
        update has been handled, rolled back if handling it failed (nothing half-saved). Nested units
        join the outermost. Other threads wait for the unit to end (it spans no await)."""
        with self._lock:
            self._units += 1
            try:
                yield
            except BaseException:
                if self._units == 1:
                    if self._held:
                        self._held.clear()          # nothing of a failed update is saved, held or not
                    if self._db.in_transaction:
                        try:
                            self._db.execute("ROLLBACK")
                        except sqlite3.Error:
                            pass
                raise
            else:
                if self._units == 1 and self._db.in_transaction:
                    try:
                        self._db.execute("COMMIT")
                    except sqlite3.Error as exc:
                        if self._db.in_transaction:
                            self._db.execute("ROLLBACK")
                        raise self._error(exc) from None
            finally:
                self._units -= 1

    @contextmanager
    def _op(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._units:                 # inside unit(): its transaction, begun by the first write
                try:
                    self._run_held()        # what this reads or claims comes after what the update wrote
                    if write and not self._db.in_transaction:
                        self._db.execute("BEGIN IMMEDIATE")
                    yield self._db
                except sqlite3.Error as exc:
                    raise self._error(exc) from None
                return
            write = write or bool(self._held)
            try:
                if write:
                    self._db.execute("BEGIN IMMEDIATE")
                try:
                    self._run_held()
                    yield self._db
                    if write:
                        self._db.execute("COMMIT")
                except BaseException:
                    if write and self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise self._error(exc) from None

    def _error(self, exc: sqlite3.Error) -> StoreError:
        if isinstance(exc, CaseNumberTaken):
            return StoreLocked(f"settings database {self.path}: {exc}; try again")
        message = str(exc)
        code = getattr(exc, "sqlite_errorname", "")
        if "locked" in message or "busy" in message or code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return StoreLocked(f"settings database {self.path} is locked by another process; try again, "
                               "or stop the other negobot using it")
        if "not a database" in message or "malformed" in message or code.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
            return StoreUnreadable(f"{self.path} is not a readable negobot database (corrupt or not SQLite); "
                                   "it was left untouched — move it away or point --db at another file")
        if "readonly" in message or "unable to open" in message or "disk I/O" in message:
            return StoreError(f"cannot write the settings database {self.path}: {message}")
        return StoreError(f"settings database {self.path}: {message}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ---- profiles ---------------------------------------------------------
    def load_profile(self, merchant_id: MerchantKey) -> Profile | None:
        with self._op() as db:
            row = db.execute("SELECT locale, locale_chosen, shop, signature, tone, phone, timezone, default_limit, awaiting "
                             "FROM profiles WHERE channel = ? AND user_id = ?", split_merchant_key(merchant_id)).fetchone()
        if row is None:
            return None
        return Profile(merchant_id=merchant_id, locale=row[0], locale_chosen=bool(row[1]), shop=row[2],
                       signature=row[3], tone=row[4], phone=row[5], timezone=row[6] or DEFAULT_TIMEZONE,
                       default_limit=row[7], awaiting=row[8])

    def save_profile(self, profile: Profile) -> None:
        values = (*split_merchant_key(profile.merchant_id), profile.locale, int(profile.locale_chosen), profile.shop,
                  profile.signature, profile.tone, profile.phone, profile.timezone, profile.default_limit, profile.awaiting)
        self._write(lambda db: db.execute(
                f"""INSERT INTO profiles (channel, user_id, locale, locale_chosen, shop, signature, tone, phone,
                                          timezone, default_limit, awaiting, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {_NOW})
                    ON CONFLICT (channel, user_id) DO UPDATE SET locale = excluded.locale,
                        locale_chosen = excluded.locale_chosen, shop = excluded.shop,
                        signature = excluded.signature, tone = excluded.tone, phone = excluded.phone,
                        timezone = excluded.timezone, default_limit = excluded.default_limit,
                        awaiting = excluded.awaiting,
                        updated_at = excluded.updated_at""", values))

    # ---- cases ------------------------------------------------------------
    _NEXT_CASE_ID = """INSERT INTO case_counters (channel, user_id, last_case_id) VALUES (?, ?, 1)
                       ON CONFLICT (channel, user_id) DO UPDATE SET last_case_id = last_case_id + 1
                       RETURNING last_case_id"""

    def new_case_id(self, merchant_id: MerchantKey) -> int:
        key = split_merchant_key(merchant_id)
        if not self._holding():
            with self._op(write=True) as db:
                return db.execute(self._NEXT_CASE_ID, key).fetchone()[0]
        # Held back (write_behind): the next number is read now and taken when the writes are saved —
        # unless someone else took it meanwhile, and then nothing of the update is saved.
        with self._op() as db:
            row = db.execute("SELECT last_case_id FROM case_counters WHERE channel = ? AND user_id = ?", key).fetchone()
        case_id = (row[0] if row else 0) + 1

        def take(db: sqlite3.Connection) -> None:
            taken = db.execute(self._NEXT_CASE_ID, key).fetchone()[0]
            if taken != case_id:
                raise CaseNumberTaken(f"case #{case_id} of {merchant_id} was numbered by another update meanwhile")
        self._held.append(take)
        return case_id

    _CASE_COLUMNS = ("case_id, scenario, slots, remedy, audience, draft_locale, confidence, alternatives, pending, "
                     "skipped, amount_kind, facts, status, outcome, title, limit_amount, refused, created_at")

    def load_case(self, merchant_id: MerchantKey, case_id: int) -> Case | None:
        with self._op() as db:
            row = db.execute(f"SELECT {self._CASE_COLUMNS}, updated_at FROM cases WHERE channel = ? AND user_id = ? AND case_id = ?",
                             (*split_merchant_key(merchant_id), case_id)).fetchone()
        return self._case(merchant_id, row)

    def latest_case(self, merchant_id: MerchantKey) -> Case | None:
        with self._op() as db:
            row = db.execute(f"SELECT {self._CASE_COLUMNS}, updated_at FROM cases WHERE channel = ? AND user_id = ? "
                             "ORDER BY case_id DESC LIMIT 1", split_merchant_key(merchant_id)).fetchone()
        return self._case(merchant_id, row)

    def save_case(self, case: Case, events: Sequence[CaseEvent] = ()) -> None:
        channel, user_id = split_merchant_key(case.merchant_id)
        history = [(channel, user_id, event.case_id, event.at, event.kind, _json(event.data)) for event in events]
        values = (channel, user_id, case.case_id, case.scenario, _json(case.slots), case.remedy, case.audience,
                  case.draft_locale, case.confidence, _json(case.alternatives), case.pending, _json(case.skipped),
                  case.amount_kind, _json(case.facts), case.status, case.outcome, case.title, case.limit,
                  _json(case.refused), _iso(case.created_at))
        prune = case.case_id > self.keep_cases    # else the merchant has no more cases than are kept

        def statements(db: sqlite3.Connection) -> None:
            if history:
                db.executemany(self._ADD_EVENT, history)
            db.execute(
                f"""INSERT INTO cases (channel, user_id, {self._CASE_COLUMNS}, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE(?, {_NOW}), {_NOW})
                    ON CONFLICT (channel, user_id, case_id) DO UPDATE SET scenario = excluded.scenario,
                        slots = excluded.slots, remedy = excluded.remedy, audience = excluded.audience,
                        draft_locale = excluded.draft_locale, confidence = excluded.confidence,
                        alternatives = excluded.alternatives, pending = excluded.pending,
                        skipped = excluded.skipped, amount_kind = excluded.amount_kind,
                        facts = excluded.facts, status = excluded.status, outcome = excluded.outcome,
                        title = excluded.title, limit_amount = excluded.limit_amount, refused = excluded.refused,
                        updated_at = excluded.updated_at""", values)
            if not prune:
                return
            # Only closed cases are pruned (open ones are being negotiated), with their history.
            horizon = "(SELECT MAX(case_id) FROM cases WHERE channel = ? AND user_id = ?) - ?"
            for table in ("case_events", "cases"):
                db.execute(f"DELETE FROM {table} WHERE channel = ? AND user_id = ? AND case_id <= {horizon} "
                           f"AND case_id IN (SELECT case_id FROM cases WHERE channel = ? AND user_id = ? AND status != 'open')",
                           (channel, user_id, channel, user_id, self.keep_cases, channel, user_id))
        self._write(statements)

    def open_cases(self, merchant_id: MerchantKey) -> list[Case]:
        with self._op() as db:
            rows = db.execute(f"SELECT {self._CASE_COLUMNS}, updated_at FROM cases WHERE channel = ? AND user_id = ? "
                              "AND status = ? ORDER BY updated_at DESC, case_id DESC",
                              (*split_merchant_key(merchant_id), OPEN)).fetchall()
        return [self._case(merchant_id, row) for row in rows]

    # ---- case history -------------------------------------------------------
    _ADD_EVENT = "INSERT INTO case_events (channel, user_id, case_id, at, kind, data) VALUES (?, ?, ?, ?, ?, ?)"

    def add_event(self, merchant_id: MerchantKey, event: CaseEvent) -> None:
        values = (*split_merchant_key(merchant_id), event.case_id, event.at, event.kind, _json(event.data))
        self._write(lambda db: db.execute(self._ADD_EVENT, values))

    def events(self, merchant_id: MerchantKey, case_id: int) -> list[CaseEvent]:
        with self._op() as db:
            rows = db.execute("SELECT case_id, at, kind, data FROM case_events WHERE channel = ? AND user_id = ? "
                              "AND case_id = ? ORDER BY event_id", (*split_merchant_key(merchant_id), case_id)).fetchall()
        return [CaseEvent(row[0], row[1], row[2], json.loads(row[3])) for row in rows]

    # ---- reminders ----------------------------------------------------------
    def set_reminder(self, merchant_id: MerchantKey, case_id: int, due_at: float) -> int:
        channel, user_id = split_merchant_key(merchant_id)
        with self._op(write=True) as db:
            db.execute("DELETE FROM reminders WHERE channel = ? AND user_id = ? AND case_id = ? AND claimed_at IS NULL",
                       (channel, user_id, case_id))
            return db.execute("INSERT INTO reminders (channel, user_id, case_id, due_at, created_at) VALUES (?, ?, ?, ?, ?) "
                              "RETURNING reminder_id", (channel, user_id, case_id, due_at, time.time())).fetchone()[0]

    def cancel_reminders(self, merchant_id: MerchantKey, case_id: int) -> None:
        values = (*split_merchant_key(merchant_id), case_id)
        self._write(lambda db: db.execute(
            "DELETE FROM reminders WHERE channel = ? AND user_id = ? AND case_id = ? AND claimed_at IS NULL", values))

    def pending_reminder(self, merchant_id: MerchantKey, case_id: int) -> float | None:
        with self._op() as db:
            row = db.execute("SELECT MIN(due_at) FROM reminders WHERE channel = ? AND user_id = ? AND case_id = ? "
                             "AND claimed_at IS NULL", (*split_merchant_key(merchant_id), case_id)).fetchone()
        return row[0] if row else None

    def claim_due_reminders(self, now: float, claimer: str, limit: int = 50) -> list[Reminder]:
        """One UPDATE … RETURNING inside BEGIN IMMEDIATE: the rows it marks are this claimer's alone;
        another process over the same file waits for the write lock and then finds them claimed.
        Nothing due (the usual case, checked every 30 s and on each line of `negobot chat`): a read, no lock."""
        with self._op() as db:
            if db.execute("SELECT 1 FROM reminders WHERE claimed_at IS NULL AND due_at <= ? LIMIT 1", (now,)).fetchone() is None:
                return []
        with self._op(write=True) as db:
            rows = db.execute(
                """UPDATE reminders SET claimed_by = ?, claimed_at = ?
                   WHERE reminder_id IN (SELECT reminder_id FROM reminders WHERE claimed_at IS NULL AND due_at <= ?
                                         ORDER BY due_at LIMIT ?)
                   RETURNING reminder_id, channel, user_id, case_id, due_at""", (claimer, now, now, limit)).fetchall()
        return sorted((Reminder(r[0], merchant_key(r[1], r[2]), r[3], r[4]) for r in rows), key=lambda r: r.due_at)

    def case_count(self, merchant_id: MerchantKey) -> int:
        with self._op() as db:
            return db.execute("SELECT COUNT(*) FROM cases WHERE channel = ? AND user_id = ?",
                              split_merchant_key(merchant_id)).fetchone()[0]

    # ---- numbered choices (transports without buttons) ----------------------
    def save_menu(self, merchant_id: MerchantKey, actions: list[str]) -> None:
        values = (*split_merchant_key(merchant_id), _json(list(actions)))
        self._write(lambda db: db.execute(f"""INSERT INTO menus (channel, user_id, actions, updated_at) VALUES (?, ?, ?, {_NOW})
                           ON CONFLICT (channel, user_id) DO UPDATE SET actions = excluded.actions,
                               updated_at = excluded.updated_at""", values))

    def load_menu(self, merchant_id: MerchantKey) -> list[str]:
        with self._op() as db:
            row = db.execute("SELECT actions FROM menus WHERE channel = ? AND user_id = ?",
                             split_merchant_key(merchant_id)).fetchone()
        return json.loads(row[0]) if row else []

    # ---- incoming messages already handled ----------------------------------
    def claim_message(self, key: str, ttl_seconds: float) -> bool:
        """True for the first claim of `key` until it expires; one transaction, so two processes over
        the same file cannot both win."""
        now = time.time()
        with self._op(write=True) as db:
            db.execute("DELETE FROM seen_messages WHERE expires_at <= ?", (now,))
            inserted = db.execute("INSERT OR IGNORE INTO seen_messages (message_key, expires_at) VALUES (?, ?)",
                                  (key, now + ttl_seconds)).rowcount
        return inserted == 1

    @staticmethod
    def _case(merchant_id: MerchantKey, row: tuple | None) -> Case | None:
        if row is None:
            return None
        return Case(merchant_id=merchant_id, case_id=row[0], scenario=row[1], slots=json.loads(row[2]),
                    remedy=row[3], audience=row[4], draft_locale=row[5], confidence=row[6],
                    alternatives=json.loads(row[7]), pending=row[8], skipped=json.loads(row[9]),
                    amount_kind=row[10], facts=json.loads(row[11]), status=row[12], outcome=row[13], title=row[14],
                    limit=row[15], refused=json.loads(row[16]), created_at=_epoch(row[17]),
                    updated_at=_epoch(row[18]) if len(row) > 18 else None)


class CaseNumberTaken(sqlite3.DatabaseError):
    """Held writes found their case number taken by another update; like a lock, trying again works."""


class HeldStatements:
    """An update's writes that write_behind() held back, saved by save() once its answer is sent."""

    def __init__(self, store: SqliteStore):
        self._store = store
        self.writes: list[Callable[[sqlite3.Connection], None]] = []

    def save(self) -> None:
        """Run them in one transaction: all saved, or none and StoreError. Nothing held: nothing to do."""
        writes, self.writes = self.writes, []
        if writes:
            self._store._save_held(writes)


_json = json.JSONEncoder(ensure_ascii=False).encode     # one encoder for every write, not one per call


def _iso(epoch: float | None) -> str | None:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch)) if epoch is not None else None


def _epoch(iso: str | None) -> float | None:
    if not iso:
        return None
    try:
        return float(calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")))
    except ValueError:
        return None


def _check_header(path: Path) -> None:
    """Refuse a non-empty file that is not SQLite before sqlite3 touches it."""
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise StoreError(f"cannot read the settings database {path}: {exc.strerror or exc}") from None
    if header and header != b"SQLite format 3\x00":
        raise StoreUnreadable(f"{path} is not a negobot database (not an SQLite file); it was left untouched — "
                              "move it away or point --db at another file")


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


__all__ = ["SqliteStore", "HeldStatements", "default_db_path", "StoreError", "StoreLocked", "StoreUnreadable", "SCHEMA_VERSION", "MIGRATIONS", "KEEP_CASES"]
