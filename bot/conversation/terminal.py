"""`negobot chat`: the bot's conversation in a terminal, buttons shown as numbered choices."""

from __future__ import annotations

import sys
import time
from typing import Callable, TextIO

from bot.conversation.choices import actions_in_order, awaiting_detail, choice_line, number_buttons, pick
from bot.conversation.core import Conversation
from bot.conversation.model import MemoryStore, Reply, Store, merchant_key
from bot.engine.drafts import Engine

MERCHANT = merchant_key("terminal", "local")
_RULE = "─" * 40


class TerminalChat:
    def __init__(self, engine: Engine, out: TextIO, locale: str | None = None, store: Store | None = None,
                 clock: Callable[[], float] = time.time):
        self.conversation = Conversation(engine, store if store is not None else MemoryStore(), clock=clock)
        self.out = out
        self.language_code = {"zh_CN": "zh-hans", "zh_TW": "zh-hant", "en": "en"}.get(locale or "", None)

    def show(self, replies: list[Reply]) -> None:
        self.conversation.store.save_menu(MERCHANT, actions_in_order(replies))
        for reply, choices in zip(replies, number_buttons(replies)):
            if reply.title:
                self.out.write(f"\n▌ {reply.title}\n")
            if reply.text:
                self.out.write(reply.text + "\n")
            if reply.draft:
                self.out.write(f"{_RULE}\n{reply.draft}\n{_RULE}\n")
            if reply.footer:
                self.out.write(reply.footer + "\n")
            for number, button in choices:
                self.out.write(f"  {choice_line(number, button.label)}\n")
        self.out.flush()

    def show_reminders(self) -> None:
        due = [reply for _merchant, reply in self.conversation.due_reminders("terminal")]
        if due:
            self.show(due)

    def handle(self, line: str) -> bool:
        """One line typed by the merchant; False when the chat should end."""
        text = line.strip()
        c, lc = self.conversation, self.language_code
        if text in ("/quit", "/exit", "/q"):
            return False
        if not text:
            return True
        self.show_reminders()               # what fell due while you were away
        command, _, rest = text.partition(" ")
        with c.store.unit():    # the answer and the numbers of its choices are saved together, or neither
            replies = c.command(MERCHANT, command[1:], rest, lc) if command.startswith("/") else None
            if replies is None:
                action = pick(text, c.store.load_menu(MERCHANT), awaiting_detail(c.store, MERCHANT))
                replies = c.press(MERCHANT, action, lc) if action is not None else c.message(MERCHANT, text, lc)
            self.show(replies)
        return True


def run_chat(engine: Engine, locale: str | None = None, shop: str | None = None, signature: str | None = None,
             stdin: TextIO | None = None, out: TextIO | None = None, phone: str | None = None,
             store: Store | None = None) -> int:
    if stdin is None:
        stdin = sys.stdin
        if hasattr(stdin, "reconfigure"):
            stdin.reconfigure(errors="replace")   # undecodable bytes reach the core as U+FFFD and get a clear answer
    out = out or sys.stdout
    chat = TerminalChat(engine, out, locale, store)
    if locale:
        chat.conversation.language(MERCHANT, locale)
    if shop:
        chat.conversation.set_shop(MERCHANT, shop)
    if signature:
        chat.conversation.set_signature(MERCHANT, signature)
    if phone:
        chat.conversation.set_phone(MERCHANT, phone)
    chat.show(chat.conversation.start(MERCHANT, chat.language_code))
    chat.show_reminders()
    out.write("\n(type a description; a number picks a choice; /quit to leave)\n")
    interactive = stdin.isatty()
    while True:
        if interactive:
            out.write("> ")
            out.flush()
        line = stdin.readline()
        if not line:
            break
        if not chat.handle(line):
            break
    return 0
