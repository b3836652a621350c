"""Reply objects → Telegram messages: HTML with everything escaped, split under 4096, buttons last.

Plain text is split first (at line boundaries, then at spaces, then anywhere) and each piece is
escaped and wrapped afterwards, so a split never cuts a tag or an entity in two. Lengths are
measured on the HTML that is sent, in UTF-16 code units as Telegram counts them, which is never
less than what Telegram measures after parsing the entities.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from telegram import CopyTextButton, InlineKeyboardButton, InlineKeyboardMarkup

from bot.conversation.model import Button, Reply

MAX_MESSAGE = 4096
_WRAP = {"b": ("<b>", "</b>"), "t": ("", ""), "pre": ("<pre>", "</pre>")}


@dataclass(frozen=True)
class Part:
    html: str
    buttons: tuple[tuple[Button, ...], ...] = ()    # the keyboard: on the last part only

    @property
    def markup(self) -> InlineKeyboardMarkup | None:
        """The keyboard as python-telegram-bot's objects."""
        return keyboard(self.buttons)

    @property
    def markup_json(self) -> dict | None:
        """The keyboard as the Bot API's JSON — what ``markup.to_dict()`` gives, built without PTB's
        objects (building and then serialising ten of them cost more than the rest of the send)."""
        return keyboard_json(self.buttons)


def units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def render(reply: Reply, limit: int = MAX_MESSAGE) -> list[Part]:
    blocks: list[tuple[str, str]] = []
    if reply.title:
        blocks.append(("b", reply.title))
    if reply.text:
        blocks.append(("t", reply.text))
    if reply.draft:
        blocks.append(("pre", reply.draft))
    if reply.footer:
        blocks.append(("t", reply.footer))
    if not blocks:
        blocks.append(("t", "…"))
    pieces = [_wrap(kind, piece) for kind, text in blocks for piece in _split(kind, text, limit)]
    messages: list[str] = []
    for piece in pieces:
        if messages and units(messages[-1]) + 1 + units(piece) <= limit:
            messages[-1] += "\n" + piece
        else:
            messages.append(piece)
    rows = tuple(tuple(row) for row in reply.buttons if row)
    return [Part(text, rows if i == len(messages) - 1 else ()) for i, text in enumerate(messages)]


def keyboard(rows: list[list[Button]]) -> InlineKeyboardMarkup | None:
    out = []
    for row in rows:
        buttons = []
        for button in row:
            if button.copy_text is not None:
                buttons.append(InlineKeyboardButton(button.label, copy_text=CopyTextButton(button.copy_text)))
            else:
                buttons.append(InlineKeyboardButton(button.label, callback_data=button.action))
        if buttons:
            out.append(buttons)
    return InlineKeyboardMarkup(out) if out else None


def keyboard_json(rows) -> dict | None:
    """InlineKeyboardMarkup(keyboard(rows)).to_dict(), directly."""
    out = [[{"text": b.label, "copy_text": {"text": b.copy_text}} if b.copy_text is not None
            else {"text": b.label, "callback_data": b.action} for b in row] for row in rows if row]
    return {"inline_keyboard": out} if out else None


def _wrap(kind: str, text: str) -> str:
    start, end = _WRAP[kind]
    return f"{start}{html.escape(text)}{end}"


def _split(kind: str, text: str, limit: int) -> list[str]:
    """Plain-text pieces that fit `limit` once escaped and wrapped, cut at line ends where possible."""
    if units(_wrap(kind, text)) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if units(_wrap(kind, candidate)) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        current = ""
        if units(_wrap(kind, line)) <= limit:
            current = line
        else:               # one line longer than a message: cut it at spaces, else anywhere
            chunks = _split_line(kind, line, limit)
            pieces.extend(chunks[:-1])
            current = chunks[-1]
    if current or not pieces:
        pieces.append(current)
    return [p for p in pieces if p.strip()] or [text[:1]]


def _split_line(kind: str, line: str, limit: int) -> list[str]:
    chunks: list[str] = []
    while units(_wrap(kind, line)) > limit:
        low, high = 1, len(line)
        while low < high:           # the longest prefix that fits
            mid = (low + high + 1) // 2
            if units(_wrap(kind, line[:mid])) <= limit:
                low = mid
            else:
                high = mid - 1
        cut = line.rfind(" ", 0, low)
        cut = cut + 1 if cut > low // 2 else low
        chunks.append(line[:cut])
        line = line[cut:]
    chunks.append(line)
    return chunks
