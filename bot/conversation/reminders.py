"""Reminders: "remind me in 2 hours / tomorrow 10:00 if the buyer hasn't answered". Kept in the store,
claimed atomically when due (so a restart or a second process sends each once), delivered with the
follow-up draft, never at night in the merchant's time zone, dropped when the case closes."""

from __future__ import annotations

import datetime as dt

from bot.conversation.model import CLOSED, Button, Case, Profile, Reply
from bot.conversation.reminder_time import out_of_quiet_hours, parse_when, zone
from bot.engine.negotiation import NextMove
from bot.i18n import translator

PRESETS = {"2h": "2h", "tm": "tomorrow 10:00", "1d": "1d"}


class ReminderFlow:
    """Mixed into Conversation."""

    def zone(self, profile: Profile) -> dt.tzinfo:
        return zone(profile.timezone)

    def reminder_row(self, profile: Profile, case: Case) -> list[Button]:
        _ = translator(profile.locale).gettext
        return [Button(_("⏰ in 2 hours"), action=f"rd:{case.case_id}:2h"),
                Button(_("⏰ tomorrow 10:00"), action=f"rd:{case.case_id}:tm"),
                Button(_("⏰ other time…"), action=f"rd:{case.case_id}:ask")]

    def remind(self, merchant_id, text: str, language_code: str | None = None) -> list[Reply]:
        """/remind [#case] WHEN"""
        profile = self.profile(merchant_id, language_code)
        _ = translator(profile.locale).gettext
        case, when = self._case_and_rest(profile, text)
        if case is None:
            return [Reply(text=_("There is no open case to set a reminder for. Describe the return problem first."))]
        if not when:
            return self._ask_when(profile, case)
        return self._set_reminder(profile, case, when)

    def _ask_when(self, profile: Profile, case: Case) -> list[Reply]:
        _ = translator(profile.locale).gettext
        self.awaiting(profile, "remind", case)
        return [Reply(text=_("When should I remind you about case #{case}? For example: 2小时, 30m, 1d, 明天上午10点, tomorrow 10:00.").format(case=case.case_id),
                      buttons=[self.reminder_row(profile, case)[:2]])]

    def _set_reminder(self, profile: Profile, case: Case, when_text: str) -> list[Reply]:
        _ = translator(profile.locale).gettext
        if case.status == CLOSED:
            return [Reply(text=_("Case #{case} is closed; reopen it to set a reminder.").format(case=case.case_id))]
        now = dt.datetime.fromtimestamp(self.clock(), self.zone(profile))
        when = parse_when(PRESETS.get(when_text, when_text), now)
        if when is None:
            self.awaiting(profile, "remind", case)
            return [Reply(text=_("I couldn't read “{text}” as a time within the next 30 days. Try 2小时, 30m, 1d, 明天上午10点 or tomorrow 10:00.").format(text=when_text[:40]))]
        due = out_of_quiet_hours(when)
        self.awaiting(profile, None)
        self.store.set_reminder(profile.merchant_id, case.case_id, due.timestamp())
        self._event(profile.merchant_id, case, "reminder_set", {"due": due.timestamp()})
        text = _("I'll remind you about case #{case} at {when} if you haven't brought me the buyer's answer by then.").format(
            case=case.case_id, when=due.strftime("%m-%d %H:%M"))
        if due != when:
            text += "\n" + _("(Moved out of the night: no reminders between 22:00 and 08:00.)")
        return [Reply(text=text)]

    def due_reminders(self, claimer: str = "negobot") -> list[tuple[str, Reply]]:
        """Reminders due now, claimed in the store, each as (merchant, the message to send): the case,
        how long it has waited, and the follow-up draft. A reminder of a case that has closed or
        moved on since (the buyer's answer came in) is dropped."""
        out = []
        for reminder in self.store.claim_due_reminders(self.clock(), claimer):
            case = self.store.load_case(reminder.merchant_id, reminder.case_id)
            if case is None or case.status == CLOSED:
                continue
            events = self.store.events(reminder.merchant_id, case.case_id)
            set_at = max((e.at for e in events if e.kind == "reminder_set"), default=0.0)
            if any(e.kind == "answer" and e.at > set_at for e in events):
                continue                      # the buyer answered after the reminder was set
            profile = self.profile(reminder.merchant_id)
            self._event(reminder.merchant_id, case, "reminded", {})
            out.append((reminder.merchant_id, self._reminder_reply(profile, case)))
        return out

    def _reminder_reply(self, profile: Profile, case: Case) -> Reply:
        _ = translator(profile.locale).gettext
        name = case.title or self.engine.catalogue.scenario(case.scenario).title[profile.locale]
        step = NextMove("unclear", "nudge", case.remedy, case.slots.get("amount"), case.amount_kind or "refund")
        drafts = self._move_drafts(profile, case, step, {})
        draft = drafts[0].text if drafts else None
        lines = [_("No answer from the buyer yet? Here is a follow-up to send."),
                 self.engine.catalogue.scenario(case.scenario).title[profile.locale]]
        rows = []
        if draft and len(draft) <= self.MAX_COPY:
            rows.append([Button(_("Copy draft"), copy_text=draft)])
        rows.append([Button(_("Buyer answered"), action=f"ba:{case.case_id}"), Button(_("Open #{case}").format(case=case.case_id), action=f"oc:{case.case_id}")])
        rows.append(self.reminder_row(profile, case))
        rows.append([Button(_("Close case…"), action=f"cl:{case.case_id}")])
        return Reply(title=_("⏰ Reminder — case #{case}: {name}").format(case=case.case_id, name=name),
                     text="\n".join(lines[:1]), draft=draft, buttons=rows)


__all__ = ["ReminderFlow"]
