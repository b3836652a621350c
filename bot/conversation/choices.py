"""Buttons as numbered lines answered by number: how `negobot chat` and the WeCom channel show choices.

A transport without buttons lists each reply's action buttons as "[N] label" lines, numbering on
across the replies of one answer, and remembers the actions in that order. The merchant answers
"N" (or "#N"). While a draft waits for a detail (how many items, the amount…), a bare number is that
detail — "2" means two items — and only "#N" picks a choice. Copy buttons are left out: a transport
without them shows the draft on its own, ready to select.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from bot.conversation.model import Button, MerchantKey, Reply, Store


def number_buttons(replies: Sequence[Reply]) -> list[list[tuple[int, Button]]]:
    """For each reply, its action buttons with their numbers (1, 2, … counting on across replies)."""
    numbered: list[list[tuple[int, Button]]] = []
    count = 0
    for reply in replies:
        mine = []
        for row in reply.buttons:
            for button in row:
                if button.action is None:
                    continue
                count += 1
                mine.append((count, button))
        numbered.append(mine)
    return numbered


def actions_in_order(replies: Sequence[Reply]) -> list[str]:
    """The actions the numbers stand for: actions_in_order(replies)[N - 1] is choice N."""
    return [button.action for group in number_buttons(replies) for _n, button in group]


def choice_line(number: int, label: str) -> str:
    return f"[{number}] {label}"


def awaiting_detail(store: Store, merchant: MerchantKey) -> bool:
    """Whether the next message answers a question: a detail the latest draft asked for, the buyer's
    answer, a limit or a reminder time the merchant was asked for."""
    profile = store.load_profile(merchant)
    if profile is not None and profile.awaiting:
        return True
    case = store.latest_case(merchant)
    return case is not None and bool(case.pending)


def pick(text: str, actions: Sequence[str], answering: bool) -> str | None:
    """The action a typed line picks, or None when the line is not a choice (then it is a message)."""
    text = unicodedata.normalize("NFKC", text.strip()) if len(text) < 16 else text   # ＃３ from a Chinese IME is #3
    digits = text[1:].strip() if text.startswith("#") else text
    if not digits.isascii() or not digits.isdigit() or len(digits) > 4:
        return None
    if answering and not text.startswith("#"):
        return None         # a bare number answers the open question; #N still picks a choice
    index = int(digits)
    return actions[index - 1] if 1 <= index <= len(actions) else None


__all__ = ["number_buttons", "actions_in_order", "choice_line", "awaiting_detail", "pick"]
