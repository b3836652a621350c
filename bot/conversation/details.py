"""Details a draft still needs (the refund amount, how many items, the carrier…): what was found,
what was read, and the merchant's answer to the question a draft asks."""

from __future__ import annotations

import re

from bot.conversation.model import Case, Profile, Reply
from bot.engine.numerals import parse_number
from bot.engine.slots import MEASURE_WORDS
from bot.conversation.settings import _phone
from bot.i18n import N_, translator

_SLOT_LABELS = {
    "tracking_number": N_("tracking number"),
    "carrier": N_("carrier"),
    "amount": N_("amount"),
    "quantity": N_("quantity"),
    "order_id": N_("order number"),
    "time_frame": N_("inspection time"),
    "value": N_("value of the goods"),
}
_FACT_LABELS = {
    "buyer": N_("the buyer's slip"),
    "carrier": N_("the carrier's fault"),
    "shop": N_("sent to the shop's old address"),
    "disputed": N_("you doubt the buyer's claim"),
    "unsure": N_("not sure who is at fault"),
}
_SLOT_QUESTIONS = {
    "amount": N_("This draft needs the refund amount. Reply with it (for example 20 or ¥19.90), or tap Skip to keep the placeholder."),
    "quantity": N_("This draft needs how many items are in question (missing or damaged). Reply with the number (for example 2), or tap Skip to keep the placeholder."),
    "time_frame": N_("This draft tells the buyer how long inspection takes. Reply with it (for example 2 days or 48 hours), or tap Skip to keep the placeholder."),
    "value": N_("This claim needs the value of the goods. Reply with it (for example 299), or tap Skip to keep the placeholder."),
    "carrier": N_("This draft needs the carrier. Reply with its name (for example 顺丰 or 中通), or tap Skip to keep the placeholder."),
    "tracking_number": N_("This draft needs the return tracking number. Reply with it, or tap Skip to keep the placeholder."),
    "order_id": N_("This draft needs the order number. Reply with it, or tap Skip to keep the placeholder."),
    "phone": N_("This carrier letter needs your contact phone. Reply with it (for example 13800138000); I'll keep it for later letters (change it with /phone). Or tap Skip to keep the placeholder."),
}
_BARE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]{5,38}$")
# Details the bot asks for when a draft shows them as placeholders, in this order; the others
# (dates, insurance, order number) stay visible placeholders in the letter. The phone is the shop's
# (/phone), so an answer to its question is kept in the profile for every later letter.
_ASKED = ("amount", "quantity", "carrier", "tracking_number", "time_frame", "value", "phone")
MAX_TIME_FRAME_CHARS = 20


class DetailsFlow:
    """Mixed into Conversation (bot/conversation/core.py)."""

    def _answer_detail(self, profile: Profile, case: Case, text: str) -> list[Reply] | None:
        """The detail the latest draft asked for, when `text` gives it: the case drafted again with it."""
        value = self._read_answer(case.pending, text)
        if value is None:
            return None
        if case.pending == "phone":         # a shop setting, kept for every later letter
            profile.phone = str(value)
            self.store.save_profile(profile)
        else:
            case.slots[case.pending] = value
        if case.pending == "amount":
            case.amount_kind = self.engine.slots.extract_details(text)[1] or "refund"
        case.pending = None
        return [self._case_reply(profile, case, dirty=True)]

    def _read_answer(self, slot: str, text: str) -> object | None:
        text = text.strip()
        if not text or len(text) > 200:
            return None
        found = self.engine.slots.extract(text)
        if slot in found:
            return found[slot]
        bare = text.rstrip("。.!！ ")
        if slot == "phone":
            return _phone(bare)
        if slot == "time_frame":
            return bare if 0 < len(bare) <= MAX_TIME_FRAME_CHARS else None
        if slot in ("amount", "value"):
            if slot == "value" and "amount" in found:
                return found["amount"]
            number = parse_number(bare.lstrip("¥￥").replace(",", ""))
            return round(number, 2) if number is not None and 0 < number <= 1_000_000 else None
        if slot == "quantity":
            number = parse_number(bare.rstrip(MEASURE_WORDS))
            return int(number) if number is not None and number == int(number) and 0 < number < 10000 else None
        if slot == "carrier":
            return bare.lower() if bare.lower() in self.engine.catalogue.carriers else None
        if slot in ("tracking_number", "order_id") and _BARE_CODE.match(bare):
            code = re.sub(r"[\s\-]", "", bare).upper()
            return code if any(ch.isdigit() for ch in code) else None
        return None

    def _slot_summary(self, profile: Profile, case: Case) -> str:
        _ = translator(profile.locale).gettext
        parts = []
        for key, value in case.slots.items():
            if key == "carrier" and value in self.engine.catalogue.carriers:
                value = self.engine.catalogue.carriers[value].name[profile.locale]
            if key in _SLOT_LABELS:
                parts.append(f"{_(_SLOT_LABELS[key])} {value}")
        return " · ".join(parts)

    def _fact_summary(self, profile: Profile, case: Case) -> str:
        """The facts read from the description, in the merchant's language, so a misreading shows."""
        _ = translator(profile.locale).gettext
        named = self.engine.fact_variables(self.engine.facts_of(case.facts), profile.locale)
        parts = []
        if named["item_named"]:
            parts.append(str(named["item"]) + (f" {named['condition']}" if profile.locale == "en" and named["condition"]
                                               else str(named["condition"])))
        elif named["condition"]:
            parts.append(str(named["condition"]))
        if named["received_instead"]:
            parts.append(str(named["received_instead"]))
        if named["accessory_named"]:
            parts.append(str(named["accessory"]))
        if named["fault"] in _FACT_LABELS:
            parts.append(_(_FACT_LABELS[str(named["fault"])]))
        if case.facts.get("refund_paid"):
            parts.append(_("refund already paid"))
        return " · ".join(parts)


__all__ = ["DetailsFlow"]
