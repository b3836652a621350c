"""Cases as the merchant sees them: /cases lists the open ones (state, last event, next reminder);
a case is opened again, renamed, noted, closed with an outcome, reopened; /limit sets how far the
merchant goes in a case (or by default)."""

from __future__ import annotations

import datetime as dt

from bot.conversation.model import CLOSED, OPEN, OUTCOMES, Button, Case, Profile, Reply
from bot.engine.drafts import format_money
from bot.engine.numerals import parse_number
from bot.engine.packs import load_pack
from bot.i18n import N_, translator

MAX_LISTED = 10
MAX_TITLE_CHARS = 40
MAX_NOTE_CHARS = 500
MAX_LIMIT = 1_000_000
OUTCOME_LABELS = {
    "settled": N_("settled"),
    "buyer_cancelled": N_("buyer cancelled"),
    "refunded_in_full": N_("refunded in full"),
    "platform": N_("went to the platform"),
}
_EVENT_LABELS = {
    "opened": N_("opened"),
    "offered": N_("offer made"),
    "moved": N_("next step drafted"),
    "note": N_("note"),
    "reminder_set": N_("reminder set"),
    "reminded": N_("reminded"),
    "closed": N_("closed"),
    "reopened": N_("reopened"),
    "renamed": N_("renamed"),
}


class CasesFlow:
    """Mixed into Conversation."""

    def cases(self, merchant_id, language_code: str | None = None) -> list[Reply]:
        profile = self.profile(merchant_id, language_code)
        _ = translator(profile.locale).gettext
        open_cases = self.store.open_cases(merchant_id)
        if not open_cases:
            return [Reply(text=_("No open cases. Describe a return problem to open one."))]
        lines, rows = [], []
        for case in open_cases[:MAX_LISTED]:
            lines.append(self.case_line(profile, case))
            rows.append([Button(_("Open #{case}").format(case=case.case_id), action=f"oc:{case.case_id}"),
                         Button(_("Close #{case}…").format(case=case.case_id), action=f"cl:{case.case_id}")])
        if len(open_cases) > MAX_LISTED:
            lines.append(_("…and {count} more.").format(count=len(open_cases) - MAX_LISTED))
        return [Reply(title=_("Open cases ({count})").format(count=len(open_cases)), text="\n".join(lines), buttons=rows)]

    def case_line(self, profile: Profile, case: Case) -> str:
        """#3 退回商品数量不对 · 四件套 — last: the buyer refuses (11-29 14:02) — reminder 11-30 10:00"""
        _ = translator(profile.locale).gettext
        name = case.title or self.engine.catalogue.scenario(case.scenario).title[profile.locale]
        item = self.engine.fact_variables(self.engine.facts_of(case.facts), profile.locale)
        parts = [f"#{case.case_id} {name}" + (f" · {item['item']}" if item["item_named"] and not case.title else "")]
        events = self.store.events(profile.merchant_id, case.case_id)
        if events:
            last = events[-1]
            parts.append(_("last: {event} ({when})").format(event=self._event_label(profile, last), when=self.local_time(profile, last.at)))
        due = self.store.pending_reminder(profile.merchant_id, case.case_id)
        if due is not None:
            parts.append(_("reminder {when}").format(when=self.local_time(profile, due)))
        if case.status == CLOSED and case.outcome:
            parts.append(_("closed: {outcome}").format(outcome=_(OUTCOME_LABELS[case.outcome])))
        return " — ".join(parts)

    def _event_label(self, profile: Profile, event) -> str:
        _ = translator(profile.locale).gettext
        if event.kind == "answer":
            from bot.conversation.answer import STANCE_LABELS
            stance = event.data.get("stance")
            return _("the buyer {stance}").format(stance=_(STANCE_LABELS[stance])) if stance in STANCE_LABELS else _("the buyer answered (unread)")
        return _(_EVENT_LABELS.get(event.kind, event.kind))

    def local_time(self, profile: Profile, epoch: float) -> str:
        return dt.datetime.fromtimestamp(epoch, self.zone(profile)).strftime("%m-%d %H:%M")

    def open_case(self, profile: Profile, case_id: int) -> list[Reply]:
        _ = translator(profile.locale).gettext
        case = self.store.load_case(profile.merchant_id, case_id)
        if case is None or case.scenario == "unknown":
            return [Reply(text=_("That button is no longer valid. Send the description again."))]
        reply = self._case_reply(profile, case)
        history = self.history_lines(profile, case)
        if history:
            reply.text += "\n\n" + _("History:") + "\n" + "\n".join(history)
        return [reply]

    def history_lines(self, profile: Profile, case: Case, last: int = 6) -> list[str]:
        _ = translator(profile.locale).gettext
        out = []
        for event in self.store.events(profile.merchant_id, case.case_id)[-last:]:
            label = self._event_label(profile, event)
            if event.kind == "note":
                label += f": {event.data.get('text', '')}"
            elif event.kind in ("opened", "offered") and event.data.get("remedy") in self.engine.catalogue.remedies:
                label += ": " + self.engine.catalogue.remedy(str(event.data["remedy"])).title[profile.locale]
            elif event.kind == "closed" and event.data.get("outcome") in OUTCOME_LABELS:
                label += ": " + _(OUTCOME_LABELS[str(event.data["outcome"])])
            out.append(f"• {self.local_time(profile, event.at)} {label}")
        return out

    def _ask_outcome(self, profile: Profile, case: Case) -> list[Reply]:
        _ = translator(profile.locale).gettext
        outcomes = [o for o in OUTCOMES if not (o == "buyer_cancelled" and case.facts.get("refund_paid"))]
        rows = [[Button(_(OUTCOME_LABELS[o]), action=f"co:{case.case_id}:{o}")] for o in outcomes]
        return [Reply(text=_("How did case #{case} end?").format(case=case.case_id), buttons=rows)]

    def close_case(self, profile: Profile, case: Case, outcome: str) -> list[Reply]:
        _ = translator(profile.locale).gettext
        if outcome not in OUTCOMES:
            return [Reply(text=_("That button is no longer valid. Send the description again."))]
        if case.status == CLOSED:
            return [Reply(text=_("Case #{case} is already closed ({outcome}).").format(case=case.case_id, outcome=_(OUTCOME_LABELS.get(case.outcome or "", N_("closed")))))]
        case.status, case.outcome, case.pending = CLOSED, outcome, None
        self.store.save_case(case)
        if profile.awaiting and profile.awaiting.endswith(f":{case.case_id}"):
            self.awaiting(profile, None)
        self.store.cancel_reminders(profile.merchant_id, case.case_id)
        self._event(profile.merchant_id, case, "closed", {"outcome": outcome})
        return [Reply(text=_("Case #{case} closed: {outcome}. Its reminders are cancelled.").format(case=case.case_id, outcome=_(OUTCOME_LABELS[outcome])),
                      buttons=[[Button(_("Reopen case #{case}").format(case=case.case_id), action=f"ro:{case.case_id}")]])]

    def reopen_case(self, profile: Profile, case: Case) -> list[Reply]:
        _ = translator(profile.locale).gettext
        if case.status == OPEN:
            return self.open_case(profile, case.case_id)
        case.status, case.outcome = OPEN, None
        self.store.save_case(case)
        self._event(profile.merchant_id, case, "reopened", {})
        reply = self._case_reply(profile, case)
        reply.text = _("Case #{case} is open again.").format(case=case.case_id) + "\n" + reply.text
        return [reply]

    # ---- commands with a case argument ---------------------------------------
    def _case_and_rest(self, profile: Profile, text: str) -> tuple[Case | None, str]:
        """'#3 rest' / '3 rest' names a case; otherwise the latest open case and the whole text (a lone
        number is not a case: "/limit 100" is an amount)."""
        words = text.strip().split(maxsplit=1)
        if words and words[0].lstrip("#").isdigit() and (words[0].startswith("#") or len(words) > 1):
            return self.store.load_case(profile.merchant_id, int(words[0].lstrip("#"))), (words[1] if len(words) > 1 else "")
        return self._latest_open(profile.merchant_id), text.strip()

    def rename(self, merchant_id, text: str, language_code: str | None = None) -> list[Reply]:
        profile = self.profile(merchant_id, language_code)
        _ = translator(profile.locale).gettext
        case, title = self._case_and_rest(profile, text)
        title = " ".join(title.split())
        if case is None or not title:
            return [Reply(text=_("Usage: /rename [#case] NAME — for example /rename #3 王女士 四件套"))]
        if len(title) > MAX_TITLE_CHARS:
            return [Reply(text=_("That name is {length} characters long; keep it within {limit}.").format(length=len(title), limit=MAX_TITLE_CHARS))]
        case.title = title
        self.store.save_case(case)
        self._event(merchant_id, case, "renamed", {"title": title})
        return [Reply(text=_("Case #{case} is now called: {title}").format(case=case.case_id, title=title))]

    def note(self, merchant_id, text: str, language_code: str | None = None) -> list[Reply]:
        profile = self.profile(merchant_id, language_code)
        _ = translator(profile.locale).gettext
        case, note = self._case_and_rest(profile, text)
        note = note.strip()
        if case is None or not note:
            return [Reply(text=_("Usage: /note [#case] TEXT — a note kept in the case's history"))]
        if len(note) > MAX_NOTE_CHARS:
            return [Reply(text=_("That note is {length} characters long; keep it within {limit}.").format(length=len(note), limit=MAX_NOTE_CHARS))]
        self._event(merchant_id, case, "note", {"text": note})
        return [Reply(text=_("Noted in case #{case}.").format(case=case.case_id))]

    def set_limit(self, merchant_id, text: str, language_code: str | None = None) -> list[Reply]:
        """/limit 100 (the latest open case), /limit #3 100, /limit default 100 (every case without its own)."""
        profile = self.profile(merchant_id, language_code)
        _ = translator(profile.locale).gettext
        words = text.strip().split()
        usage = _("Usage: /limit [#case] AMOUNT — the most you'll give in a case (the highest refund; for a deduction, the smallest deduction). /limit default AMOUNT sets it for every case.")
        if words and words[0].lower() in ("default", "默认", "預設", "shop"):
            amount = limit_amount(" ".join(words[1:]))
            if amount is None:
                return [Reply(text=usage)]
            profile.default_limit = amount
            self.store.save_profile(profile)
            return [Reply(text=_("Your default limit is now {amount}.").format(amount=self.money(profile, amount)))]
        case, rest = self._case_and_rest(profile, text)
        amount = limit_amount(rest)
        if case is None or amount is None:
            return [Reply(text=usage)]
        return self._limit_for(profile, case, amount, limit_kind(rest))

    def _limit_for(self, profile: Profile, case: Case, amount: float, kind: str | None = None) -> list[Reply]:
        """The case's limit; "扣30" / "deduct 30" makes the case's amounts deductions when none was offered yet."""
        _ = translator(profile.locale).gettext
        case.limit = amount
        if kind and (case.amount_kind is None or "amount" not in case.slots):
            case.amount_kind = kind
        waiting = profile.awaiting == f"limit:{case.case_id}"
        self.awaiting(profile, None)
        self.store.save_case(case)
        note = (_("Limit for case #{case}: a deduction of at least {amount}.") if case.amount_kind == "deduction"
                else _("Limit for case #{case}: a refund of at most {amount}.")).format(case=case.case_id, amount=self.money(profile, amount))
        last = self._last_answer(profile.merchant_id, case) if waiting else None
        if last and last.get("stance"):
            reply = self._next_move_reply(profile, case, last)
            reply.text = note + "\n" + reply.text
            return [reply]
        return [Reply(text=note)]

    def money(self, profile: Profile, amount: object) -> str:
        """An amount as the merchant's own pack writes it in drafts (¥80.00, 人民幣80.00元, CNY 80.00)."""
        if not isinstance(amount, (int, float)) or isinstance(amount, bool):
            return "?"
        return format_money(float(amount), load_pack(profile.locale))

    def _latest_open(self, merchant_id) -> Case | None:
        open_cases = self.store.open_cases(merchant_id)
        return max(open_cases, key=lambda c: c.case_id) if open_cases else None


def limit_kind(text: str) -> str | None:
    lowered = text.strip().lower()
    if lowered.startswith(("扣", "deduct", "-")):
        return "deduction"
    if lowered.startswith(("退", "refund")):
        return "refund"
    return None


def limit_amount(text: str) -> float | None:
    bare = text.strip().lower()
    for word in ("扣除", "扣", "deduct", "退款", "退", "refund", "-"):
        if bare.startswith(word):
            bare = bare[len(word):].strip()
            break
    bare = bare.lstrip("¥￥").rstrip("元塊块 ").replace(",", "")
    number = parse_number(bare) if bare else None
    return round(number, 2) if number is not None and 0 < number <= MAX_LIMIT else None


__all__ = ["CasesFlow", "OUTCOME_LABELS"]
