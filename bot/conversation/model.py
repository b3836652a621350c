"""What the conversation core hands to a transport, and what it remembers per merchant."""

from __future__ import annotations

import contextlib
import copy
import functools
import threading
import time
from dataclasses import dataclass, field, replace
from collections.abc import Iterator, Sequence
from typing import Callable, ContextManager, Protocol, TypeVar

MAX_ACTION_BYTES = 64       # Telegram's callback_data limit
MAX_COPY_CHARS = 256        # Telegram's CopyTextButton limit
CHANNELS = ("telegram", "wecom", "terminal")
DEFAULT_TIMEZONE = "Asia/Shanghai"
R = TypeVar("R")
OPEN, CLOSED = "open", "closed"
OUTCOMES = ("settled", "buyer_cancelled", "refunded_in_full", "platform")

# One merchant, one identity per channel: "telegram:123456789", "wecom:zhangsan". Telegram user ids
# are integers, WeCom UserIDs strings (letters, digits, _-@.), so the key is text; the SQLite store
# keeps the two halves in their own columns.
MerchantKey = str


def merchant_key(channel: str, user_id: str | int) -> MerchantKey:
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    user = str(user_id)
    if not user or ":" in user or len(user) > 128:
        raise ValueError(f"not a user id: {user!r}")
    return f"{channel}:{user}"


def split_merchant_key(key: MerchantKey) -> tuple[str, str]:
    channel, sep, user = key.partition(":")
    if not sep or channel not in CHANNELS or not user:
        raise ValueError(f"not a merchant key: {key!r}")
    return channel, user


@dataclass(frozen=True)
class Button:
    label: str
    action: str | None = None        # sent back to Conversation.press(); at most 64 bytes
    copy_text: str | None = None     # a copy-to-clipboard button where the transport has one

    def __post_init__(self) -> None:
        if (self.action is None) == (self.copy_text is None):
            raise ValueError("a button has either an action or a text to copy")
        if self.action is not None and len(self.action.encode("utf-8")) > MAX_ACTION_BYTES:
            raise ValueError(f"button action over {MAX_ACTION_BYTES} bytes: {self.action!r}")


@dataclass
class Reply:
    text: str                                   # plain text; the transport escapes it
    title: str | None = None                    # shown emphasised above the text
    draft: str | None = None                    # the draft alone, shown as a tap-to-copy block
    footer: str | None = None                   # plain text shown after the draft (a question about it)
    buttons: list[list[Button]] = field(default_factory=list)
    replace: bool = False                       # may replace the message whose button was pressed


@dataclass
class Profile:
    merchant_id: MerchantKey
    locale: str = "zh_CN"           # interface and default draft language
    locale_chosen: bool = False     # set by /lang rather than guessed from the Telegram client
    shop: str | None = None
    signature: str | None = None
    tone: str = "warm"
    phone: str | None = None        # the shop's contact phone, for carrier letters (/phone)
    timezone: str = DEFAULT_TIMEZONE  # reminders and quiet hours follow it
    default_limit: float | None = None  # the furthest the shop goes in a case unless the case says (/limit)
    awaiting: str | None = None     # what the next message is: "answer:5", "limit:5", "remind:5" (case 5)


@dataclass
class Case:
    """One description and where the merchant is with it."""

    merchant_id: MerchantKey
    case_id: int
    scenario: str
    slots: dict[str, object]
    remedy: str | None = None
    audience: str = "buyer"
    draft_locale: str = "zh_CN"
    confidence: float | None = None
    alternatives: list[str] = field(default_factory=list)
    pending: str | None = None      # the detail the bot asked for
    skipped: list[str] = field(default_factory=list)
    amount_kind: str | None = None  # "refund" or "deduction" (the merchant said 扣 / 少退 / deduct)
    facts: dict[str, object] = field(default_factory=dict)   # bot.engine.facts: item, defect, fault, …
    status: str = OPEN              # OPEN while the negotiation goes on; CLOSED with an outcome
    outcome: str | None = None      # one of OUTCOMES once closed
    title: str | None = None        # the merchant's own name for the case (/rename)
    limit: float | None = None      # the furthest the merchant goes in this case (bot.engine.negotiation)
    refused: list[str] = field(default_factory=list)   # remedies the buyer refused
    created_at: float | None = None  # epoch seconds
    updated_at: float | None = None


@dataclass(frozen=True)
class CaseEvent:
    """One step of a case's history: what was offered, what the buyer answered and how it was read,
    notes, reminders, closing. `data` holds the step's details (JSON-friendly)."""

    case_id: int
    at: float                       # epoch seconds
    kind: str                       # one of EVENT_KINDS
    data: dict[str, object] = field(default_factory=dict)


EVENT_KINDS = ("opened", "offered", "answer", "moved", "note", "reminder_set", "reminded", "closed", "reopened", "renamed")


@dataclass(frozen=True)
class Reminder:
    reminder_id: int
    merchant_id: MerchantKey
    case_id: int
    due_at: float                   # epoch seconds


class Store(Protocol):
    """Where profiles, cases, their history and reminders live: in memory for `negobot chat`, SQLite
    for the bot."""

    def unit(self) -> ContextManager[None]:
        """What one update writes, saved together or not at all (see SqliteStore.unit)."""
        ...
    def write_behind(self) -> ContextManager[HeldWrites]:
        """The writes of the update handled inside, held back until their save() (see
        SqliteStore.write_behind): a transport saves them once its answer is sent."""
        ...
    def load_profile(self, merchant_id: MerchantKey) -> Profile | None: ...
    def save_profile(self, profile: Profile) -> None: ...
    def new_case_id(self, merchant_id: MerchantKey) -> int: ...
    def load_case(self, merchant_id: MerchantKey, case_id: int) -> Case | None: ...
    def latest_case(self, merchant_id: MerchantKey) -> Case | None: ...
    def save_case(self, case: Case, events: Sequence[CaseEvent] = ()) -> None:
        """The case, and `events` added to its history in the same write."""
        ...
    def save_menu(self, merchant_id: MerchantKey, actions: list[str]) -> None:
        """The actions of the choices last shown as numbered lines (transports without buttons)."""
        ...
    def load_menu(self, merchant_id: MerchantKey) -> list[str]: ...
    def claim_message(self, key: str, ttl_seconds: float) -> bool:
        """True the first time `key` (an incoming message id) is claimed within `ttl_seconds`, atomically:
        a transport that is sent the same message again (WeCom retries) handles it once."""
        ...
    def add_event(self, merchant_id: MerchantKey, event: CaseEvent) -> None: ...
    def events(self, merchant_id: MerchantKey, case_id: int) -> list[CaseEvent]: ...
    def open_cases(self, merchant_id: MerchantKey) -> list[Case]:
        """Open cases, the most recently updated first."""
        ...
    def set_reminder(self, merchant_id: MerchantKey, case_id: int, due_at: float) -> int:
        """A case's reminder (replacing one not yet sent); its id."""
        ...
    def cancel_reminders(self, merchant_id: MerchantKey, case_id: int) -> None: ...
    def pending_reminder(self, merchant_id: MerchantKey, case_id: int) -> float | None: ...
    def claim_due_reminders(self, now: float, claimer: str, limit: int = 50) -> list[Reminder]:
        """Reminders due at `now`, each handed to exactly one claimer, atomically (two processes over
        one database never both get the same reminder); a claimed reminder is not handed out again."""
        ...


class HeldWrites(Protocol):
    def save(self) -> None:
        """Save what was held back, all or nothing; StoreError when it cannot be saved."""
        ...


class _NothingHeld:
    def save(self) -> None:
        pass


def one_transaction(handle: Callable[..., R]) -> Callable[..., R]:
    """For the conversation's entry points (a message, a press, a command, a buyer's answer): what
    one update writes goes to the store as one unit. Nested entry points join the outer unit."""
    @functools.wraps(handle)
    def handled(self, *args, **kwargs) -> R:
        with self.store.unit():
            return handle(self, *args, **kwargs)
    return handled


class MemoryStore:
    """A Store that forgets everything when the process ends, and otherwise keeps what SqliteStore
    keeps, as it keeps it: what is saved is a copy (a case changed after loading stays as saved until it
    is saved again), and what one update writes is kept together or not at all (unit)."""

    def __init__(self) -> None:
        self._profiles: dict[MerchantKey, Profile] = {}
        self._cases: dict[tuple[MerchantKey, int], Case] = {}
        self._next: dict[MerchantKey, int] = {}
        self._latest: dict[MerchantKey, int] = {}
        self._claimed: dict[str, float] = {}
        self._menus: dict[MerchantKey, list[str]] = {}
        self._events: dict[tuple[MerchantKey, int], list[CaseEvent]] = {}
        self._reminders: dict[int, Reminder] = {}
        self._lock = threading.RLock()      # a unit holds it: other threads' updates wait, as with SQLite
        self._units = 0
        self._before: list[dict] | None = None  # the state before the outermost unit's first write

    _STATE = ("_profiles", "_cases", "_next", "_latest", "_claimed", "_menus", "_events", "_reminders")

    @contextlib.contextmanager
    def unit(self) -> Iterator[None]:
        with self._lock:
            self._units += 1
            try:
                yield
            except BaseException:
                if self._units == 1 and self._before is not None:
                    for name, saved in zip(self._STATE, self._before):
                        setattr(self, name, saved)
                raise
            finally:
                self._units -= 1
                if not self._units:
                    self._before = None

    @contextlib.contextmanager
    def write_behind(self) -> Iterator[HeldWrites]:
        """Nothing to hold back in memory: each write is in place as it is made."""
        yield _NothingHeld()

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        # The stored values are never changed in place (copies in, copies out, lists replaced), so a
        # shallow copy of each table is the whole state to go back to.
        with self._lock:
            if self._units and self._before is None:
                self._before = [dict(getattr(self, name)) for name in self._STATE]
            yield

    def load_profile(self, merchant_id: MerchantKey) -> Profile | None:
        profile = self._profiles.get(merchant_id)
        return replace(profile) if profile is not None else None

    def save_profile(self, profile: Profile) -> None:
        with self._write():
            self._profiles[profile.merchant_id] = replace(profile)

    def new_case_id(self, merchant_id: MerchantKey) -> int:
        with self._write():
            self._next[merchant_id] = self._next.get(merchant_id, 0) + 1
            return self._next[merchant_id]

    def load_case(self, merchant_id: MerchantKey, case_id: int) -> Case | None:
        case = self._cases.get((merchant_id, case_id))
        return copy.deepcopy(case) if case is not None else None

    def latest_case(self, merchant_id: MerchantKey) -> Case | None:
        latest = self._latest.get(merchant_id)
        return self.load_case(merchant_id, latest) if latest is not None else None

    def save_case(self, case: Case, events: Sequence[CaseEvent] = ()) -> None:
        with self._write():
            for event in events:
                self.add_event(case.merchant_id, event)
            kept = copy.deepcopy(case)
            kept.updated_at = time.time()      # as SQLite stamps it: open cases list the latest first
            self._cases[(case.merchant_id, case.case_id)] = kept
            self._latest[case.merchant_id] = max(case.case_id, self._latest.get(case.merchant_id, 0))

    def save_menu(self, merchant_id: MerchantKey, actions: list[str]) -> None:
        with self._write():
            self._menus[merchant_id] = list(actions)

    def load_menu(self, merchant_id: MerchantKey) -> list[str]:
        return list(self._menus.get(merchant_id, []))

    def claim_message(self, key: str, ttl_seconds: float) -> bool:
        with self._write():
            now = time.monotonic()
            if len(self._claimed) > 10_000:
                self._claimed = {k: t for k, t in self._claimed.items() if t > now}
            if self._claimed.get(key, 0) > now:
                return False
            self._claimed[key] = now + ttl_seconds
            return True

    def add_event(self, merchant_id: MerchantKey, event: CaseEvent) -> None:
        with self._write():
            key = (merchant_id, event.case_id)
            self._events[key] = [*self._events.get(key, ()), copy.deepcopy(event)]

    def events(self, merchant_id: MerchantKey, case_id: int) -> list[CaseEvent]:
        return copy.deepcopy(self._events.get((merchant_id, case_id), []))

    def open_cases(self, merchant_id: MerchantKey) -> list[Case]:
        cases = [c for (m, _i), c in self._cases.items() if m == merchant_id and c.status == OPEN]
        return copy.deepcopy(sorted(cases, key=lambda c: (c.updated_at or 0, c.case_id), reverse=True))

    def set_reminder(self, merchant_id: MerchantKey, case_id: int, due_at: float) -> int:
        with self._write():
            self.cancel_reminders(merchant_id, case_id)
            reminder_id = max(self._reminders, default=0) + 1
            self._reminders[reminder_id] = Reminder(reminder_id, merchant_id, case_id, due_at)
            return reminder_id

    def cancel_reminders(self, merchant_id: MerchantKey, case_id: int) -> None:
        with self._write():
            for key, r in list(self._reminders.items()):
                if r.merchant_id == merchant_id and r.case_id == case_id:
                    del self._reminders[key]

    def pending_reminder(self, merchant_id: MerchantKey, case_id: int) -> float | None:
        return next((r.due_at for r in self._reminders.values() if r.merchant_id == merchant_id and r.case_id == case_id), None)

    def claim_due_reminders(self, now: float, claimer: str, limit: int = 50) -> list[Reminder]:
        with self._write():
            due = sorted((r for r in self._reminders.values() if r.due_at <= now), key=lambda r: r.due_at)[:limit]
            for r in due:
                del self._reminders[r.reminder_id]
            return due
