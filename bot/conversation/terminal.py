"""`negobot chat`: the bot's conversation in a terminal, buttons shown as numbered choices."""

from __future__ import annotations

import sys
from typing import Callable, TextIO

from bot.conversation.core import Conversation
from bot.conversation.model import Button, MemoryStore, Reply
from bot.engine.drafts import Engine

MERCHANT = 1
_RULE = "─" * 40


class TerminalChat:
    def __init__(self, engine: Engine, out: TextIO, locale: str | None = None):
        self.conversation = Conversation(engine, MemoryStore())
        self.out = out
        self.language_code = {"zh_CN": "zh-hans", "zh_TW": "zh-hant", "en": "en"}.get(locale or "", None)
        self.buttons: list[Button] = []

    def show(self, replies: list[Reply]) -> None:
        self.buttons = []
        for reply in replies:
            if reply.title:
                self.out.write(f"\n▌ {reply.title}\n")
            if reply.text:
                self.out.write(reply.text + "\n")
            if reply.draft:
                self.out.write(f"{_RULE}\n{reply.draft}\n{_RULE}\n")
            for row in reply.buttons:
                for button in row:
                    if button.action is None:
                        continue    # copy buttons: the draft above is already selectable
                    self.buttons.append(button)
                    self.out.write(f"  [{len(self.buttons)}] {button.label}\n")
        self.out.flush()

    def handle(self, line: str) -> bool:
        """One line typed by the merchant; False when the chat should end."""
        text = line.strip()
        c, lc = self.conversation, self.language_code
        if text in ("/quit", "/exit", "/q"):
            return False
        if not text:
            return True
        command, _, rest = text.partition(" ")
        commands: dict[str, Callable[[], list[Reply]]] = {
            "/start": lambda: c.start(MERCHANT, lc),
            "/help": lambda: c.help(MERCHANT, lc),
            "/scenarios": lambda: c.scenarios(MERCHANT, lc),
            "/lang": lambda: c.language(MERCHANT, rest or None, lc),
            "/shop": lambda: c.set_shop(MERCHANT, rest, lc),
            "/sign": lambda: c.set_signature(MERCHANT, rest, lc),
        }
        if command in commands:
            self.show(commands[command]())
        elif self._button_choice(text) is not None:
            self.show(c.press(MERCHANT, self._button_choice(text).action, lc))
        else:
            self.show(c.message(MERCHANT, text, lc))
        return True

    def _button_choice(self, text: str) -> Button | None:
        digits = text[1:] if text.startswith("#") else text
        pending = self.conversation.store.latest_case(MERCHANT)
        if not digits.isdigit() or (not text.startswith("#") and pending is not None and pending.pending):
            return None     # a bare number answers the open question; #N still picks a button
        index = int(digits)
        return self.buttons[index - 1] if 1 <= index <= len(self.buttons) else None


def run_chat(engine: Engine, locale: str | None = None, shop: str | None = None, signature: str | None = None,
             stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    if stdin is None:
        stdin = sys.stdin
        if hasattr(stdin, "reconfigure"):
            stdin.reconfigure(errors="replace")   # undecodable bytes reach the core as U+FFFD and get a clear answer
    out = out or sys.stdout
    chat = TerminalChat(engine, out, locale)
    if locale:
        chat.conversation.language(MERCHANT, locale)
    if shop:
        chat.conversation.set_shop(MERCHANT, shop)
    if signature:
        chat.conversation.set_signature(MERCHANT, signature)
    chat.show(chat.conversation.start(MERCHANT, chat.language_code))
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
