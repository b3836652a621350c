"""Reply objects → WeCom text messages: at most 2048 bytes each, drafts on their own, choices numbered.

WeCom's ``message/send`` takes plain text of at most 2048 **bytes** (UTF-8: a Chinese character is
three) and truncates what is longer. So:

- the title, explanation and numbered choices of consecutive replies share messages, packed up to
  the limit and split at line boundaries (a line longer than a message is cut between characters,
  never inside one);
- a draft is always a message of its own, so a long-press → copy takes exactly the draft; a draft
  over the limit is cut at line boundaries into several messages, and the message before says so;
- buttons become "[N] label" lines (bot.conversation.choices, as in `negobot chat`), the numbers
  counting on across the whole answer, under a one-line hint (which says "#N" while a question is
  open, since a plain number then answers it); copy buttons are dropped — the draft message is the
  copy. The "skip" choice is the one action the core marks with ``sk:``.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.conversation.choices import choice_line, number_buttons
from bot.conversation.model import Reply
from bot.i18n import translator

MAX_BYTES = 2048


def size(text: str) -> int:
    return len(text.encode("utf-8"))


def render(replies: Sequence[Reply], locale: str, limit: int = MAX_BYTES) -> list[str]:
    """The messages to send, in order."""
    _ = translator(locale).gettext
    asking = any(b.action and b.action.startswith("sk:") for r in replies for row in r.buttons for b in row)
    hint = (_("Reply with # and a number to choose, like #1 (a plain number answers the question below):") if asking
            else _("Reply with a number to choose:"))
    blocks: list[tuple[bool, str]] = []         # (is a draft, text)
    for reply, choices in zip(replies, number_buttons(replies)):
        head = []
        if reply.title:
            head.append(f"【{reply.title}】")
        if reply.text:
            head.append(reply.text)
        draft_parts = split(reply.draft, limit) if reply.draft else []
        if len(draft_parts) > 1:
            head.append(_("This draft is long: it follows in {count} messages. Copy each in turn.").format(
                count=len(draft_parts)))
        if head:
            blocks.append((False, "\n".join(head)))
        blocks.extend((True, part) for part in draft_parts)
        if choices:
            lines = [choice_line(n, button.label) for n, button in choices]
            if choices[0][0] == 1:
                lines.insert(0, hint)
            blocks.append((False, "\n".join(lines)))
        if reply.footer:                         # the question a draft asks: last, under the choices
            blocks.append((False, reply.footer))
    messages: list[str] = []
    open_text = False                            # may the last message take more text?
    for is_draft, text in blocks:
        if is_draft:
            messages.append(text)
            open_text = False
            continue
        for piece in split(text, limit):
            if open_text and size(messages[-1]) + 2 + size(piece) <= limit:
                messages[-1] += "\n\n" + piece
            else:
                messages.append(piece)
            open_text = True
    return [m for m in messages if m.strip()] or ["…"]


def split(text: str, limit: int = MAX_BYTES) -> list[str]:
    """`text` in pieces of at most `limit` bytes, cut at line ends where a line fits."""
    if size(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if size(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        current = ""
        while size(line) > limit:               # one line longer than a message: cut between characters
            cut = _longest_prefix(line, limit)
            pieces.append(line[:cut])
            line = line[cut:]
        current = line
    if current:
        pieces.append(current)
    return [p for p in pieces if p.strip()] or [text.strip()[:1] or "…"]


def _longest_prefix(line: str, limit: int) -> int:
    """The number of characters of `line` whose UTF-8 fits `limit` bytes (at least one)."""
    encoded = line.encode("utf-8")[:limit]
    return max(1, len(encoded.decode("utf-8", "ignore")))


__all__ = ["render", "split", "size", "MAX_BYTES"]
