"""Where a round trip goes: the stages of one sequential description, for the echo bot on negobot's
transport and negobot, and the conversation core's parts. The breakdown behind the figures of benchmarks/bot_throughput.py.

    .venv/bin/python benchmarks/round_trip_split.py [--rounds 2] [--sequential 30]

1. **Stages** — the same set-up as bot_throughput.py's round trips (the same Applications, requests,
   rate limiter and fake Bot API), with time stamps at: the server handing out the update
   (getUpdates), the bot's handler starting, the core (Conversation) starting and returning,
   rendering, sendMessage called, the server's sendMessage handler starting and ending (its HTML and
   markup checks), sendMessage returning, and the update completely handled. Medians per stage
   (so the stages need not add up to the median total exactly).
2. **The core's parts in the bot** — during those round trips, negobot's core timed per component
   (classifier, facts, slots, draft, the store's calls, the rest): medians per update; and what the
   update wrote, saved after its answer was sent (the adapter's write-behind: not in the round trip). The bot's network code runs between two descriptions, so the core's code and data are
   colder in the CPU caches than in a loop, and each part costs more than in 3.
3. **The core's parts in a warm loop** — Conversation.message on every description in a warm loop (a new merchant
   each, SQLite file as the bot has it, its writes held and saved after rendering as the bot does),
   timed per component: classifier, facts, slots, draft (Jinja2), the store's calls, rendering to
   Telegram HTML; and the save after it.
4. **Ceilings** (`--ceilings`) — what the median round-trip ratio to the echo bot would be if a part of
   negobot cost nothing: bot_throughput.py's paired round trips (the same bots, rate limiter and
   fake Bot API), with negobot as shipped, then with its analysis (classifier, facts, slots) looked up
   from answers computed before the round, its store in memory instead of the SQLite file, both, and
   the whole core's replies looked up — each against the bare echo bot and the one on negobot's
   transport. A lookup is not free, so each is a floor no speed-up of that
   part can pass. These are experiments on the benchmark, never how negobot runs.

Not a test: it prints figures. Time stamps are taken by wrapping methods, which costs a little.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import bot_throughput as bt  # noqa: E402
import telegram  # noqa: E402

from bot.conversation.core import Conversation  # noqa: E402
from bot.conversation.model import MemoryStore, merchant_key  # noqa: E402
from bot.conversation.sqlite_store import SqliteStore  # noqa: E402
from bot.engine.drafts import InputError, check_description, default_engine  # noqa: E402
from bot.telegram import handlers  # noqa: E402

# The echo bot on negobot's transport, so that the stages compare like with like (bot_throughput.py).
ECHO = "echo, aiohttp"
STAGES = ["queued", "handed out", "handler", "core start", "core end", "render start", "render end", "send",
          "server start", "server end", "sent", "handled"]
_marks: dict[str, float] = {}
_on = [False]


def _stamp(name: str) -> None:
    if _on[0]:
        _marks[name] = time.perf_counter()


def _wrap_async(owner, name: str, before: str, after: str) -> None:
    real = getattr(owner, name)

    async def wrapped(*args, **kwargs):
        _stamp(before)
        try:
            return await real(*args, **kwargs)
        finally:
            _stamp(after)
    setattr(owner, name, wrapped)


_IN_BOT: dict[str, float] = {}                 # this update's core, per component
_IN_BOT_ROWS: list[dict[str, float]] = []
_SAVED_AFTER: list[float] = []                 # each update's held writes, saved after its answer
_COMPONENTS = ("classifier", "facts", "slots", "draft (Jinja2)", "SQLite store")


def _time_into(parts: dict[str, float], name: str, f):
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return f(*args, **kwargs)
        finally:
            parts[name] = parts.get(name, 0.0) + time.perf_counter() - started
    return timed


def _time_core(parts: dict[str, float], store_owner) -> Callable[[], None]:
    """Time the default engine's components and the store's calls (`store_owner`: SqliteStore for
    every store, or one store) into `parts`; returns what takes the timers off again."""
    engine = default_engine()
    store_calls = ("load_profile", "save_profile", "latest_case", "new_case_id", "save_case")
    originals = [(engine.classifier, "predict"), (engine.facts, "extract"), (engine.slots, "extract_details"),
                 (engine, "draft"), *((store_owner, name) for name in (*store_calls, "unit"))]
    saved = [(owner, name, owner.__dict__.get(name)) for owner, name in originals]
    engine.classifier.predict = _time_into(parts, "classifier", engine.classifier.predict)
    engine.facts.extract = _time_into(parts, "facts", engine.facts.extract)
    engine.slots.extract_details = _time_into(parts, "slots", engine.slots.extract_details)
    engine.draft = _time_into(parts, "draft (Jinja2)", engine.draft)
    for name in store_calls:
        setattr(store_owner, name, _time_into(parts, "SQLite store", getattr(store_owner, name)))
    real_unit = store_owner.unit

    @contextlib.contextmanager
    def unit(*self):                               # the update's COMMIT, at the unit's end
        with real_unit(*self):
            yield
            started = time.perf_counter()
        parts["SQLite store"] = parts.get("SQLite store", 0.0) + time.perf_counter() - started
    store_owner.unit = unit

    def undo() -> None:
        for owner, name, value in saved:
            if value is None:
                delattr(owner, name)        # an instance attribute that shadowed the class's method
            else:
                setattr(owner, name, value)
    return undo


def _instrument() -> None:
    real_answer = handlers.TelegramAdapter._answer

    async def answer(self, update, call, pressed=None, **kwargs):
        _stamp("handler")

        def timed():
            _stamp("core start")
            _IN_BOT.clear()
            started = time.perf_counter()
            try:
                return call()
            finally:
                _stamp("core end")
                if _on[0]:
                    total = time.perf_counter() - started
                    _IN_BOT_ROWS.append({**_IN_BOT, "the core's own code": total - sum(_IN_BOT.values()),
                                         "total": total})
        return await real_answer(self, update, timed, pressed, **kwargs)
    handlers.TelegramAdapter._answer = answer
    real_render = handlers.render

    def render(reply):
        _stamp("render start")
        try:
            return real_render(reply)
        finally:
            _stamp("render end")
    handlers.render = render
    real_save = SqliteStore._save_held

    def save_held(self, writes):                   # the update's writes, saved after its answer
        started = time.perf_counter()
        try:
            return real_save(self, writes)
        finally:
            if _on[0] or _IN_BOT_ROWS:
                _SAVED_AFTER.append(time.perf_counter() - started)
    SqliteStore._save_held = save_held
    real_post = handlers._post

    async def post(*args, **kwargs):               # echo: Bot.send_message; negobot: handlers._post
        _stamp("send")
        try:
            return await real_post(*args, **kwargs)
        finally:
            _stamp("sent")
    handlers._post = post
    _wrap_async(telegram.Bot, "send_message", "send", "sent")
    api = bt.fake_bot_api.FakeBotApi
    real_send, real_updates = api._m_sendMessage, api._m_getUpdates

    def send(self, p):
        _stamp("server start")
        try:
            return real_send(self, p)
        finally:
            _stamp("server end")

    def updates(self, p):
        result = real_updates(self, p)
        if result:
            _stamp("handed out")
        return result
    api._m_sendMessage, api._m_getUpdates = send, updates


async def stages(texts: list[list[tuple[str, str]]], tmp: Path) -> dict[str, list[dict[str, float]]]:
    rows: dict[str, list[dict[str, float]]] = {ECHO: [], "negobot": []}
    for r, chunk in enumerate(texts):
        for kind in (ECHO, "negobot") if r % 2 == 0 else ("negobot", ECHO):
            async def work(bot: bt.Running, api) -> None:
                for i, (text, lc) in enumerate(chunk):
                    _marks.clear()
                    _on[0] = True
                    _marks["queued"] = time.perf_counter()
                    update = api.send_text(700_000 + 1000 * r + i, text, lc)
                    await bot.wait([update])
                    _on[0] = False
                    rows[kind].append({**_marks, "handled": bot.finished[update]})
            await bt.phase(kind, True, tmp, work)
    return rows


def core_parts(texts: list[tuple[str, str]], tmp: Path) -> tuple[float, dict[str, float]]:
    engine = default_engine()
    store = SqliteStore(tmp / "core.sqlite3")
    conversation = Conversation(engine, store)
    conversation.warm_up()
    spent: dict[str, float] = {}
    render = handlers.render
    for i, (text, lc) in enumerate(texts):                    # warm: every path once
        for reply in conversation.message(merchant_key("telegram", 1_000_000 + i), text, lc):
            render(reply)
    undo = _time_core(spent, store)
    render = _time_into(spent, "render (HTML, keyboard)", render)
    saved_after = 0.0
    started = time.perf_counter()
    for i, (text, lc) in enumerate(texts):         # as the bot does: writes held, saved after the answer
        with store.write_behind() as held:
            replies = conversation.message(merchant_key("telegram", 2_000_000 + i), text, lc)
        for reply in replies:
            render(reply)
        saving = time.perf_counter()
        held.save()
        saved_after += time.perf_counter() - saving
    total = time.perf_counter() - started - saved_after
    undo()
    store.close()
    n = len(texts)
    parts = {name: 1000 * value / n for name, value in spent.items()}
    parts["the core's own code"] = 1000 * total / n - sum(parts.values())
    return 1000 * total / n, parts, 1000 * saved_after / n


CEILINGS = ("as shipped", "analysis looked up", "store in memory", "analysis looked up, store in memory",
            "the whole core looked up")


@contextlib.contextmanager
def _ceiling(name: str, texts: list[tuple[str, str]]):
    """negobot's bot, as bot_throughput.build makes it, with the part `name` says replaced by a lookup."""
    engine = default_engine()
    undo: list[Callable[[], None]] = []
    if "analysis" in name:
        real_analyse = engine.analyse
        known = {}
        for text, _lc in texts:
            try:
                description = check_description(text)
            except InputError:
                continue
            known[description] = real_analyse(description)
        engine.analyse = lambda description: known.get(description) or real_analyse(description)
        undo.append(lambda: delattr(engine, "analyse"))
    if "store" in name:
        bt.SqliteStore = _MemoryStoreAt
        undo.append(lambda: setattr(bt, "SqliteStore", SqliteStore))
    if "whole core" in name:
        real_message = Conversation.message
        rehearsal = Conversation(engine, MemoryStore())
        replies = {(text, lc): real_message(rehearsal, merchant_key("telegram", 40_000_000 + i), text, lc)
                   for i, (text, lc) in enumerate(texts)}          # a new merchant each, as in the round trips

        def message(self, merchant_id, text, language_code=None):
            return replies.get((text, language_code)) or real_message(self, merchant_id, text, language_code)
        Conversation.message = message
        undo.append(lambda: setattr(Conversation, "message", real_message))
    try:
        yield
    finally:
        for step in undo:
            step()


class _MemoryStoreAt(MemoryStore):
    def __init__(self, _path) -> None:
        super().__init__()

    def close(self) -> None:
        pass


async def ceilings(chunks: list[list[tuple[str, str]]], tmp: Path) -> dict[str, tuple[list[float], list[float]]]:
    """Per ceiling, negobot's round trips and the echo bot's beside them, each round's bots paired as in
    bot_throughput.py; the ceilings take turns in each round's order, so none has all the quiet moments."""
    times: dict[str, tuple[list[float], ...]] = {name: ([], [], []) for name in CEILINGS}
    for r, chunk in enumerate(chunks):
        for name in CEILINGS[r % len(CEILINGS):] + CEILINGS[:r % len(CEILINGS)]:
            with _ceiling(name, chunk):
                measured = await bt.paired_round_trips(chunk, tmp, 30_000_000 + 100_000 * r + 1000 * CEILINGS.index(name))
            times[name][0].extend(measured["negobot"])
            times[name][1].extend(measured["echo"])
            times[name][2].extend(measured[ECHO])
    return times


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--sequential", type=int, default=30)
    parser.add_argument("--ceilings", action="store_true", help="also 4.: the ratio with parts of negobot replaced by lookups")
    args = parser.parse_args()
    default_engine()
    texts = bt.descriptions()
    bt.WARM_UP.extend(texts[::67][:12])
    step = max(1, len(texts) // (args.sequential * args.rounds))
    spread = texts[1::step]
    chunks = [spread[r * args.sequential:(r + 1) * args.sequential] for r in range(args.rounds)]
    if args.ceilings:        # first, before the time stamps below are put in
        seen = {t for chunk in chunks for t in chunk}
        unseen = [t for t in texts[::-1] if t not in seen and t not in bt.WARM_UP]     # not the texts of 1.
        step = max(1, len(unseen) // (args.sequential * args.rounds))
        unseen = unseen[::step]
        fresh = [unseen[r * args.sequential:(r + 1) * args.sequential] for r in range(args.rounds)]
        with tempfile.TemporaryDirectory() as tmp_name:
            times = await ceilings(fresh, Path(tmp_name))
    _instrument()
    undo = _time_core(_IN_BOT, SqliteStore)     # the bot's own core, in every store it opens
    with tempfile.TemporaryDirectory() as tmp_name:
        rows = await stages(chunks, Path(tmp_name))
        undo()
        total, parts, saved_after = core_parts(texts, Path(tmp_name))
    for kind, measured in rows.items():
        print(f"{kind}: median round trip {1000 * statistics.median(m['handled'] - m['queued'] for m in measured):.2f} ms "
              f"({len(measured)} descriptions)")
        previous = "queued"
        for stage in STAGES[1:]:
            values = [m[stage] - m[previous] for m in measured if stage in m and previous in m]
            if values:
                print(f"  {previous:>12} → {stage:<12} {1000 * statistics.median(values):7.3f} ms")
                previous = stage
    core_rows = _IN_BOT_ROWS
    print(f"the core in the bot, during those round trips: {1000 * statistics.median(r['total'] for r in core_rows):.3f} ms "
          f"median per description ({len(core_rows)} descriptions)")
    for name in (*_COMPONENTS, "the core's own code"):
        print(f"  {name:<26} {1000 * statistics.median(r.get(name, 0.0) for r in core_rows):6.3f} ms median")
    if _SAVED_AFTER:
        print(f"  and after the answer, what the update wrote saved: {1000 * statistics.median(_SAVED_AFTER):.3f} ms median "
              "(not in the round trip)")
    print(f"the core in a warm loop: {total:.3f} ms per description ({len(texts)} descriptions, a new merchant each)")
    for name, value in sorted(parts.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<26} {value:6.3f} ms  {100 * value / total:5.1f} %")
    print(f"  and after the answer, what it wrote saved: {saved_after:.3f} ms")
    if args.ceilings:
        print(f"ceilings: median round trip ÷ the echo bots' beside it ({args.rounds} rounds of {args.sequential}, paired)")
        for name in CEILINGS:
            negobot, echo, same = (statistics.median(values) for values in times[name])
            print(f"  {name:<38} {1000 * negobot:5.2f} ms ÷ {1000 * echo:5.2f} ms (echo) = {negobot / echo:.2f}×;"
                  f" ÷ {1000 * same:5.2f} ms ({ECHO}) = {negobot / same:.2f}×")


if __name__ == "__main__":
    asyncio.run(main())
