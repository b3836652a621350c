"""The buyer answered: read the answer's stance, keep it in the case's history, and draft the next
move from the negotiation ladder (bot.engine.negotiation). Unsure readings are put to the merchant
with a button per stance; a counter-offer or a better offer that needs the merchant's limit asks
for it first."""

from __future__ import annotations

import datetime as dt

from bot.conversation.model import CLOSED, Button, Case, CaseEvent, Profile, Reply, one_transaction
from bot.engine.drafts import MerchantSettings
from bot.engine.move_drafts import HistoryEntry, MoveContext, move_drafts
from bot.engine.negotiation import ASK_LIMIT, ASK_MERCHANT, DECIDE, MOVES, STANCES, NextMove, Position, after_refund, ladder_for, next_move
from bot.engine.packs import PackError, load_pack
from bot.engine.stances import MAX_ANSWER_CHARS, BuyerReading
from bot.i18n import N_, translator

STANCE_LABELS = {        # read as "the buyer …"
    "agrees": N_("agrees"),
    "refuses": N_("refuses"),
    "counter_offer": N_("makes a counter-offer"),
    "asks": N_("asks a question"),
    "already_done": N_("says it's done"),
    "upset": N_("is upset"),
    "escalates": N_("is going to the platform"),
    "unclear": N_("is unclear"),
}
STATEMENT_LABEL = N_("Statement for the platform's intervention (举证说明)")
_MOVE_LABELS = {
    "confirm": N_("Confirm the agreement"),
    "offer": N_("Next offer"),
    "proof": N_("Ask the buyer to check and add evidence"),
    "ask_figure": N_("Ask what the buyer would accept"),
    "answer": N_("Answer the question"),
    "thank": N_("Thank the buyer and say what happens next"),
    "calm": N_("Calm things down"),
    "statement": N_("Keep negotiating, with the statement for the platform ready (举证说明)"),
    "consider": N_("Say you'll check and come back"),
    "nudge": N_("Follow up"),
}
# "买家：…" marks the buyer's own words; "买家说衣服开线…" (no colon) is the merchant describing a case.
ANSWER_PREFIXES = ("买家说：", "买家说:", "买家回复：", "买家回复:", "买家：", "买家:", "買家說：", "買家說:", "買家回覆：", "買家：", "買家:",
                   "buyer said:", "buyer says:", "buyer replied:", "buyer:")


def answer_prefix(text: str) -> str | None:
    """The buyer's words when the merchant marked a message as the buyer's ("买家：好的"), else None."""
    stripped = text.lstrip()
    lowered = stripped.lower()
    for prefix in ANSWER_PREFIXES:
        if lowered.startswith(prefix):
            return stripped[len(prefix):].strip()
    return None


class AnswerFlow:
    """Mixed into Conversation: uses self.engine, self.store, self.clock and the core's helpers."""

    @one_transaction
    def buyer_answer(self, merchant_id, text: str, case_id: int | None = None, language_code: str | None = None) -> list[Reply]:
        """The buyer's answer for `case_id` (or the merchant's latest open case)."""
        profile = self.profile(merchant_id, language_code)
        _ = translator(profile.locale).gettext
        case = self.store.load_case(merchant_id, case_id) if case_id else self._latest_open(merchant_id)
        if case is None:
            latest = self.store.latest_case(merchant_id)
            if latest is not None and latest.scenario == "unknown" and latest.outcome is None:
                # the last description was not recognised: the merchant says what it was, then the answer is read
                return [Reply(text=_("First tell me which case #{case} is, so I know what was offered; then send the buyer's answer again.").format(case=latest.case_id),
                              buttons=self._ask_scenario(profile, latest).buttons)]
            return [Reply(text=_("There is no open case to add the buyer's answer to. Describe the return problem first; then send the buyer's answer with the button under it or as 买家：…"))]
        if case.status == CLOSED:
            return [Reply(text=_("Case #{case} is closed, so I didn't read that as its buyer's answer. Reopen it with the button below, or describe a new problem.").format(case=case.case_id),
                          buttons=[[Button(_("Reopen case #{case}").format(case=case.case_id), action=f"ro:{case.case_id}")]])]
        if case.remedy is None or case.scenario == "unknown":
            # no case drafted yet (the scenario was left to the merchant): what happened comes first
            return [Reply(text=_("First tell me which case #{case} is, so I know what was offered; then send the buyer's answer again.").format(case=case.case_id),
                          buttons=self._ask_scenario(profile, case).buttons)]
        words = text.strip() if isinstance(text, str) else ""
        if not words:
            self.awaiting(profile, "answer", case)
            return [Reply(text=_("Paste or forward what the buyer answered for case #{case}.").format(case=case.case_id))]
        if len(words) > MAX_ANSWER_CHARS:
            return [Reply(text=_("That message is {length} characters long. Paste the buyer's last messages (up to {limit} characters) and I'll read them.").format(length=len(words), limit=MAX_ANSWER_CHARS))]
        reading = self.engine.stances.read(words)
        self.awaiting(profile, None)
        data = {"stance": reading.stance, "confidence": reading.confidence, "words": reading.text or words[:300],
                "sure": reading.sure, **_reading_details(reading)}
        if not reading.sure or reading.stance == "unclear":
            data["stance"] = None           # kept unread until the merchant says
            self._event(merchant_id, case, "answer", data)
            self.store.save_case(case)
            return [self._ask_stance(profile, case, reading)]
        self._event(merchant_id, case, "answer", data)
        return [self._next_move_reply(profile, case, data)]

    # ---- the merchant says how to read an answer ---------------------------
    def _ask_stance(self, profile: Profile, case: Case, reading: BuyerReading) -> Reply:
        _ = translator(profile.locale).gettext
        guess = [s for s, _c in ((reading.stance, reading.confidence), *reading.alternatives) if s != "unclear"]
        order = list(dict.fromkeys([*guess, *STANCES]))
        rows = [[Button(_(STANCE_LABELS[s]), action=f"st:{case.case_id}:{s}") for s in order[i:i + 2]]
                for i in range(0, len(order) - 1, 2) if order[i] != "unclear"]
        text = _("I'm not sure how to read the buyer's answer for case #{case}. What do they mean?").format(case=case.case_id)
        return Reply(text=text, buttons=[r for r in rows if r])

    def _read_as(self, profile: Profile, case: Case, stance: str) -> list[Reply]:
        _ = translator(profile.locale).gettext
        last = self._last_answer(profile.merchant_id, case)
        if stance not in STANCES or stance == "unclear" or last is None:
            return [Reply(text=_("That button is no longer valid. Send the description again."))]
        data = {**last, "stance": stance, "sure": True, "by_merchant": True}
        self._event(profile.merchant_id, case, "answer", data)
        return [self._next_move_reply(profile, case, data, replace=True)]

    # ---- the next move -------------------------------------------------------
    def _position(self, profile: Profile, case: Case) -> Position:
        moves = [e.data.get("move") for e in self.store.events(profile.merchant_id, case.case_id) if e.kind == "moved"]
        return Position(case.scenario, case.remedy, self.engine.facts_of(case.facts),
                        _number(case.slots.get("amount")), case.amount_kind or "refund",
                        case.limit if case.limit is not None else profile.default_limit, tuple(case.refused),
                        waiting_on_merchant=bool(moves) and moves[-1] == "consider",
                        agreed=bool(moves) and moves[-1] == "confirm")

    def _next_move_reply(self, profile: Profile, case: Case, answer: dict, replace: bool = False,
                         audience: str | None = None) -> Reply:
        _ = translator(profile.locale).gettext
        step = next_move(self.engine.catalogue, self._position(profile, case), str(answer["stance"]),
                         amount=_number(answer.get("amount")), amount_kind=answer.get("amount_kind"),
                         wants=answer.get("wants"), done=answer.get("done"), new_tracking=bool(answer.get("tracking_number")),
                         topic=answer.get("topic"))
        head = _("Case #{case} · the buyer {stance}").format(case=case.case_id, stance=_(STANCE_LABELS[step.stance]))
        lines = []
        if answer.get("words"):
            lines.append(_("Buyer: “{words}”").format(words=_clip(str(answer["words"]), 120)))
        if step.move == ASK_LIMIT:
            self.awaiting(profile, "limit", case)
            asked = answer.get("amount")
            lines.append(_("The buyer asks for {amount}. What is the most you will give in this case?").format(amount=self.money(profile, asked)) if asked is not None
                         else _("To make a better offer I need your limit for this case."))
            return Reply(title=head, text="\n".join(lines),
                         footer="❓ " + _("Reply with your limit: the highest refund you'd give (for example 100), or 扣30 for the smallest deduction you'd accept. /limit default 100 sets it for every case."),
                         buttons=self._answer_buttons(profile, case, step, None), replace=replace)
        if step.move == ASK_MERCHANT:
            reading = self.engine.stances.read(str(answer.get("words", "")))
            return self._ask_stance(profile, case, reading)
        if step.move == DECIDE:
            self._event(profile.merchant_id, case, "moved", {"move": DECIDE})
            lines.append(_("The buyer is waiting for your answer to what they proposed. Decide first: set your limit with /limit (for example /limit 90 or /limit 扣20), then send their proposal again, or read their answer differently."))
            return Reply(title=head, text="\n".join(lines), buttons=self._answer_buttons(profile, case, step, None), replace=replace)
        self._apply(profile, case, step, answer)
        self._event(profile.merchant_id, case, "moved", _step_data(step))
        advice = ladder_for(self.engine.catalogue).advice(step.move, profile.locale,
                                                          after_refund(self.engine.catalogue, step.remedy))
        lines.append(_("Next: {move}").format(move=self._move_title(profile, step)))
        lines.append(advice)
        drafts = self._move_drafts(profile, case, step, answer)
        if not drafts:
            lines.append(_("Sorry, that draft could not be written. The team has been told; try another remedy or language."))
            return Reply(title=head, text="\n".join(lines), buttons=self._answer_buttons(profile, case, step, None), replace=replace)
        shown = next((d for d in drafts if d.audience == audience), drafts[0])
        lines += ["", f"▸ {self._audience_label(profile, step, shown.audience)}"]
        lines += self._statement_notes(profile, step, shown)
        missing = [m for m in shown.missing if m in ("amount", "order_id", "time_frame")]
        footer = None
        if missing:
            footer = "❓ " + _("The draft leaves {details} as a placeholder: fill it in before you send it.").format(
                details=", ".join(_(self.SLOT_LABELS[m]) for m in missing))
        if step.move == "answer" and answer.get("topic") in (None, "other") and shown.audience == "buyer":
            footer = "❓ " + _("Only you can answer this question: write your answer where the draft says so before you send it.")
        return Reply(title=head, text="\n".join(lines), draft=shown.text, footer=footer,
                     buttons=self._answer_buttons(profile, case, step, shown, [d.audience for d in drafts]), replace=replace)

    def _statement_notes(self, profile: Profile, step: NextMove, shown) -> list[str]:
        """Under a statement for the platform: where its dates come from, and the merchant's own copy."""
        _ = translator(profile.locale).gettext
        if step.move != "statement" or shown.audience != "platform":
            return []
        lines = [_("The dates are the days you brought each step to negobot; correct them if the buyer wrote earlier. Fill in the order number and list the evidence you upload.")]
        if shown.reading:
            lines += [_("The platform's reviewers read Simplified Chinese, so the statement is in Simplified Chinese. In your language:"), shown.reading]
        return lines

    def _audience_label(self, profile: Profile, step: NextMove, audience: str) -> str:
        _ = translator(profile.locale).gettext
        return _(STATEMENT_LABEL) if step.move == "statement" and audience == "platform" else _(self.AUDIENCE_LABELS[audience])

    def _move_title(self, profile: Profile, step: NextMove) -> str:
        _ = translator(profile.locale).gettext
        title = _(_MOVE_LABELS[step.move])
        if step.move in ("offer", "confirm") and step.remedy:
            title += " — " + self.engine.catalogue.remedy(step.remedy).title[profile.locale]
            if step.amount is not None and step.remedy in ladder_for(self.engine.catalogue).amount_remedies:
                title += f" ({self.money(profile, step.amount)})"
        return title

    def _apply(self, profile: Profile, case: Case, step: NextMove, answer: dict) -> None:
        """What the move changes in the case: the remedy and amount now on the table, refusals, a new
        tracking number; an offer or a confirmation is recorded as the shop's proposal."""
        if step.stance == "refuses" and case.remedy and case.remedy not in case.refused and step.remedy != case.remedy:
            case.refused.append(case.remedy)
        if answer.get("tracking_number"):
            case.slots["tracking_number"] = answer["tracking_number"]
        if step.move in ("offer", "confirm"):
            case.remedy = step.remedy
            if step.amount is not None:
                case.slots["amount"] = step.amount
                case.amount_kind = step.amount_kind
            self._event(profile.merchant_id, case, "offered", {"move": step.move, "remedy": step.remedy,
                                                              "amount": step.amount, "amount_kind": step.amount_kind})
        self.store.save_case(case)

    def _move_drafts(self, profile: Profile, case: Case, step: NextMove, answer: dict):
        settings = MerchantSettings(shop=profile.shop, signature=profile.signature, tone=profile.tone)
        moves = [e.data.get("move") for e in self.store.events(profile.merchant_id, case.case_id) if e.kind == "moved"]
        context = MoveContext(topic=answer.get("topic"), done=answer.get("done"), words=str(answer.get("words", "")),
                              new_tracking=answer.get("tracking_number"), wants=answer.get("wants"),
                              agreed=len(moves) > 1 and moves[-2] == "confirm",
                              history=self._history(profile, case) if step.move == "statement" else ())
        slots = {**case.slots, "phone": profile.phone} if profile.phone else dict(case.slots)
        try:
            return move_drafts(self.engine, case.scenario, step, slots, load_pack(case.draft_locale), settings,
                               case.facts, context)
        except PackError:
            return []

    def _history(self, profile: Profile, case: Case) -> tuple[HistoryEntry, ...]:
        """The negotiation as a statement cites it: the shop's proposals (the last one before each
        answer) and the buyer's answers, with the dates they were recorded, in the merchant's zone."""
        tz = self.zone(profile)
        entries: list[HistoryEntry] = []
        for event in self.store.events(profile.merchant_id, case.case_id):
            on = dt.datetime.fromtimestamp(event.at, tz).date()
            data = event.data
            if event.kind in ("opened", "offered") and data.get("remedy"):
                entry = HistoryEntry(on, "shop", str(data["remedy"]), _number(data.get("amount")), str(data.get("amount_kind") or "refund"))
                if entries and entries[-1].who == "shop":
                    entries[-1] = entry
                else:
                    entries.append(entry)
            elif event.kind == "answer" and data.get("stance"):
                if entries and entries[-1].who == "buyer" and entries[-1].words == data.get("words"):
                    entries.pop()           # the same answer read again by the merchant: the last reading counts
                entries.append(HistoryEntry(on, "buyer", amount=_number(data.get("amount")),
                                            amount_kind=str(data.get("amount_kind") or "refund"),
                                            stance=str(data["stance"]), words=str(data.get("words", ""))))
        return tuple(entries)

    def _last_answer(self, merchant_id, case: Case) -> dict | None:
        answers = [e.data for e in self.store.events(merchant_id, case.case_id) if e.kind == "answer"]
        return dict(answers[-1]) if answers else None

    def _show_move_audience(self, profile: Profile, case: Case, audience: str) -> list[Reply]:
        """Another audience's draft of the last move (the platform note, the buyer message)."""
        _ = translator(profile.locale).gettext
        last = self._last_answer(profile.merchant_id, case)
        moved = [e.data for e in self.store.events(profile.merchant_id, case.case_id) if e.kind == "moved"]
        if last is None or not last.get("stance") or not moved or moved[-1].get("move") not in MOVES:
            return [Reply(text=_("That button is no longer valid. Send the description again."))]
        step = NextMove(**moved[-1])        # the move already made for the last answer, as it was made
        drafts = self._move_drafts(profile, case, step, last)
        shown = next((d for d in drafts if d.audience == audience), None)
        if shown is None:
            return [Reply(text=_("That button is no longer valid. Send the description again."))]
        head = _("Case #{case} · the buyer {stance}").format(case=case.case_id, stance=_(STANCE_LABELS[step.stance]))
        text = "\n".join([_("Next: {move}").format(move=self._move_title(profile, step)), "", f"▸ {self._audience_label(profile, step, audience)}",
                          *self._statement_notes(profile, step, shown)])
        return [Reply(title=head, text=text, draft=shown.text,
                      buttons=self._answer_buttons(profile, case, step, shown, [d.audience for d in drafts]), replace=True)]

    def _answer_buttons(self, profile: Profile, case: Case, step: NextMove, shown, audiences: list[str] | None = None) -> list[list[Button]]:
        _ = translator(profile.locale).gettext
        cid = case.case_id
        rows: list[list[Button]] = []
        if shown is not None and len(shown.text) <= self.MAX_COPY:
            rows.append([Button(_("Copy draft"), copy_text=shown.text)])
        others = [a for a in audiences or () if shown is None or a != shown.audience]
        if others:
            rows.append([Button(self._audience_label(profile, step, a), action=f"ma:{cid}:{a}") for a in others])
        rows.append([Button(_("Buyer answered again"), action=f"ba:{cid}"), Button(_("Read it differently"), action=f"rs:{cid}")])
        rows.append(self.reminder_row(profile, case))
        if step.stance in ("agrees", "already_done") or step.move == "confirm":
            settled = [Button(_("Close: settled"), action=f"co:{cid}:settled")]
            if not case.facts.get("refund_paid"):       # a request already refunded is no longer the buyer's to cancel
                settled.append(Button(_("Close: buyer cancelled"), action=f"co:{cid}:buyer_cancelled"))
            rows.append(settled)
        else:
            rows.append([Button(_("Close case…"), action=f"cl:{cid}")])
        return rows

    def _reread(self, profile: Profile, case: Case) -> list[Reply]:
        last = self._last_answer(profile.merchant_id, case)
        if last is None:
            _ = translator(profile.locale).gettext
            return [Reply(text=_("That button is no longer valid. Send the description again."))]
        return [self._ask_stance(profile, case, self.engine.stances.read(str(last.get("words", ""))))]

    def _event(self, merchant_id, case: Case, kind: str, data: dict) -> None:
        self.store.add_event(merchant_id, CaseEvent(case.case_id, self.clock(), kind, data))


def _reading_details(reading: BuyerReading) -> dict:
    out: dict[str, object] = {}
    for key in ("amount", "amount_kind", "tracking_number", "carrier", "date", "wants"):
        if reading.slots.get(key) is not None:
            out[key] = reading.slots[key]
    if reading.topic:
        out["topic"] = reading.topic
    if reading.done:
        out["done"] = reading.done
    return out


def _step_data(step: NextMove) -> dict:
    """A move as the case's history keeps it (and another audience's draft is written again from)."""
    return {"stance": step.stance, "move": step.move, "remedy": step.remedy, "amount": step.amount,
            "amount_kind": step.amount_kind, "preface": step.preface, "buyer_amount": step.buyer_amount}


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["AnswerFlow", "answer_prefix", "STANCE_LABELS"]
