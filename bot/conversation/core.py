"""The conversation core: one merchant's messages and button presses in, Reply objects out.

Each flow lives in its own module and is mixed in here — settings (settings.py), describing a case
(describe.py), the details a draft still needs (details.py), the buyer's answers (answer.py), cases
(cases.py), reminders (reminders.py). This module only routes: a message to the flow that expects
it, a button to the flow it belongs to, a command by name. Transports call only the public methods.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Callable

from bot.conversation.answer import AnswerFlow, answer_prefix
from bot.conversation.cases import CasesFlow, limit_amount, limit_kind
from bot.conversation.describe import _AUDIENCE_LABELS, DescribeFlow
from bot.conversation.details import _SLOT_LABELS, DetailsFlow
from bot.conversation.model import CLOSED, MAX_COPY_CHARS, Button, Case, CaseEvent, MerchantKey, Profile, Reply, Store, one_transaction
from bot.conversation.reminder_time import parse_when
from bot.conversation.reminders import PRESETS, ReminderFlow
from bot.conversation.settings import LOCALE_NAMES, SettingsFlow
from bot.engine.catalogue import LOCALES, UNKNOWN
from bot.engine.drafts import TONES, Engine, InputError, check_description
from bot.engine.packs import load_pack
from bot.i18n import locale_for_language_code, translator


class Conversation(SettingsFlow, DescribeFlow, DetailsFlow, AnswerFlow, CasesFlow, ReminderFlow):

    AUDIENCE_LABELS = _AUDIENCE_LABELS
    SLOT_LABELS = _SLOT_LABELS
    MAX_COPY = MAX_COPY_CHARS

    def __init__(self, engine: Engine, store: Store, clock: Callable[[], float] = time.time):
        self.engine = engine
        self.store = store
        self.clock = clock           # epoch seconds; tests move it to fire reminders

    def warm_up(self) -> None:
        """Do once, at start-up, what the first answers would otherwise pay for: load each shipped pack
        and compile every template, build the Traditional-Chinese converter (one zh_TW draft) and train
        the buyer-answer reader."""
        for locale in LOCALES:
            pack = load_pack(locale)
            for name in pack.template_names():
                pack.environment.get_template(name)
        scenario = next(s for s in self.engine.catalogue.scenarios.values() if s.id != UNKNOWN)
        self.engine.drafts(scenario.id, {}, load_pack("zh_TW"))
        self.engine.stances.read("好的")       # the buyer-answer reader trains here, not on a merchant's first answer

    # ---- what every transport needs besides the conversation -------------
    @one_transaction
    def command(self, merchant_id: MerchantKey, name: str, rest: str = "",
                language_code: str | None = None) -> list[Reply] | None:
        """A slash command by name ("cases", without the slash) with the text after it; None when
        negobot has no such command. Every transport dispatches through here."""
        rest = rest.strip()
        calls = {
            "start": lambda: self.start(merchant_id, language_code),
            "help": lambda: self.help(merchant_id, language_code),
            "scenarios": lambda: self.scenarios(merchant_id, language_code),
            "lang": lambda: self.language(merchant_id, rest or None, language_code),
            "shop": lambda: self.set_shop(merchant_id, rest, language_code),
            "sign": lambda: self.set_signature(merchant_id, rest, language_code),
            "phone": lambda: self.set_phone(merchant_id, rest, language_code),
            "tz": lambda: self.set_timezone(merchant_id, rest, language_code),
            "cases": lambda: self.cases(merchant_id, language_code),
            "buyer": lambda: self.buyer_answer(merchant_id, rest, language_code=language_code),
            "remind": lambda: self.remind(merchant_id, rest, language_code),
            "limit": lambda: self.set_limit(merchant_id, rest, language_code),
            "note": lambda: self.note(merchant_id, rest, language_code),
            "rename": lambda: self.rename(merchant_id, rest, language_code),
        }
        call = calls.get(name.lower())
        return call() if call else None

    @staticmethod
    def command_menu(locale: str) -> list[tuple[str, str]]:
        """(command, one-line description) for a client's command menu, in `locale`."""
        _ = translator(locale).gettext
        return [
            ("start", _("What negobot does, with an example")),
            ("help", _("How to use negobot")),
            ("scenarios", _("Browse every case and its drafts")),
            ("lang", _("Interface and draft language")),
            ("shop", _("Set the shop name drafts use")),
            ("sign", _("Set the signature drafts end with")),
            ("phone", _("Set the phone carrier letters give")),
            ("cases", _("Your open cases")),
            ("buyer", _("The buyer's answer for the latest case")),
            ("remind", _("Remind me if the buyer goes quiet")),
            ("limit", _("The most you'll give in a case")),
            ("note", _("A note in the case's history")),
            ("rename", _("Give a case a name")),
            ("tz", _("Time zone for reminders")),
        ]

    @staticmethod
    def not_text(language_code: str | None = None) -> list[Reply]:
        """Answer to a photo, sticker, voice note… — anything that is not a typed description."""
        _ = translator(locale_for_language_code(language_code)).gettext
        return [Reply(text=_("I can only read text. Describe the return problem in words, for example: 退回来少了一件."))]

    @staticmethod
    def try_again(language_code: str | None = None) -> list[Reply]:
        """Answer when the settings store is busy or unavailable; reads nothing from it."""
        _ = translator(locale_for_language_code(language_code)).gettext
        return [Reply(text=_("I couldn't reach your saved settings just now. Please send that again in a minute."))]

    @staticmethod
    def not_saved(language_code: str | None = None) -> list[Reply]:
        """Answer when an answer went out but what it changed could not be saved (the store was busy); the
        transport has taken that answer's buttons off."""
        _ = translator(locale_for_language_code(language_code)).gettext
        return [Reply(text=_("I couldn't save that just now, so I took the buttons off my last answer. "
                             "Please try again in a minute (/cases lists your open cases)."))]

    @staticmethod
    def went_wrong(language_code: str | None = None) -> list[Reply]:
        """Answer when handling a message failed unexpectedly; reads nothing from the store."""
        _ = translator(locale_for_language_code(language_code)).gettext
        return [Reply(text=_("Sorry, something went wrong while handling that. Please try again; if it keeps happening, send /start."))]

    # ---- free text ------------------------------------------------------
    @one_transaction
    def message(self, merchant_id: MerchantKey, text: str, language_code: str | None = None) -> list[Reply]:
        profile = self.profile(merchant_id, language_code)
        _ = translator(profile.locale).gettext
        said = answer_prefix(text) if isinstance(text, str) else None
        if said is not None and not self._pasted_description(merchant_id, text):
            return self.buyer_answer(merchant_id, said, language_code=language_code)
        awaited = self._awaited(profile)
        if awaited is not None:
            kind, waiting = awaited
            if kind == "answer":
                return self.buyer_answer(merchant_id, text, waiting.case_id, language_code)
            if kind == "limit" and isinstance(text, str) and limit_amount(text) is not None:
                return self._limit_for(profile, waiting, limit_amount(text), limit_kind(text))
            if kind == "remind" and isinstance(text, str) and self._reads_as_time(profile, text):
                return self._set_reminder(profile, waiting, text)
            self.awaiting(profile, None)        # not what was asked for: read it as a new message
        case = self.store.latest_case(merchant_id)
        if case is not None and case.pending:
            answered = self._answer_detail(profile, case, text)
            if answered is not None:
                return answered
        return self.describe(profile, text)

    def _pasted_description(self, merchant_id: MerchantKey, text: str) -> bool:
        """A pasted chat that starts with the buyer's words ("买家：…用了两次就充不进电了 … 今天收到了 外壳裂了"),
        sent with no case open to answer: nothing to attach it to, so it is the description of a new case
        — when it reads as a return problem at all."""
        if self._latest_open(merchant_id) is not None:
            return False
        try:
            description = check_description(text)
        except InputError:
            return False
        return self.engine.analyse(description).prediction.scenario != UNKNOWN

    def awaiting(self, profile: Profile, kind: str | None, case: Case | None = None) -> None:
        """What the merchant's next message is: the buyer's answer, a limit or a reminder time for
        `case` — kept in the profile, so it holds for any case, not only the latest."""
        value = f"{kind}:{case.case_id}" if kind and case is not None else None
        if profile.awaiting != value:
            profile.awaiting = value
            self.store.save_profile(profile)

    def _awaited(self, profile: Profile) -> tuple[str, Case] | None:
        kind, _sep, case_id = (profile.awaiting or "").partition(":")
        if not case_id.isdigit():
            return None
        case = self.store.load_case(profile.merchant_id, int(case_id))
        if case is None or case.status == CLOSED:
            self.awaiting(profile, None)
            return None
        return kind, case

    def _reads_as_time(self, profile: Profile, text: str) -> bool:
        now = dt.datetime.fromtimestamp(self.clock(), self.zone(profile))
        return parse_when(PRESETS.get(text.strip(), text), now) is not None

    # ---- buttons --------------------------------------------------------
    @one_transaction
    def press(self, merchant_id: MerchantKey, action: str, language_code: str | None = None) -> list[Reply]:
        profile = self.profile(merchant_id, language_code)
        _ = translator(profile.locale).gettext
        parts = action.split(":")
        verb = parts[0]
        if verb == "ls":
            return self.scenarios(merchant_id)
        if verb == "lg" and len(parts) == 2:
            return self.language(merchant_id, parts[1])
        if len(parts) < 2 or not parts[1].isdigit():
            return [Reply(text=_("That button is no longer valid. Send the description again."))]
        case_id = int(parts[1])
        arg = parts[2] if len(parts) > 2 else ""
        if verb == "sc":
            return self._choose_scenario(profile, case_id, arg)
        if verb == "al":
            return self._handle_also(profile, case_id, arg)
        if verb == "oc":
            return self.open_case(profile, case_id)
        case = self.store.load_case(merchant_id, case_id)
        negotiation = self._press_negotiation(profile, case, verb, arg)
        if negotiation is not None:
            return negotiation
        if verb == "rp" and case is not None and case.scenario != UNKNOWN and arg in ("0", "1"):
            return self._set_refund_paid(profile, case, arg == "1")
        if case is None or case.scenario == UNKNOWN or case.remedy is None and verb not in ("nt", "ad"):
            return [Reply(text=_("That button is no longer valid. Send the description again."))]
        catalogue = self.engine.catalogue
        if verb == "rm" and arg in {o.remedy for o in self.engine.remedy_options(case.scenario, case.facts)}:
            case.remedy, case.audience, case.pending = arg, self._first_audience(arg), None
            self.store.add_event(merchant_id, CaseEvent(case.case_id, self.clock(), "offered", {
                "move": "opening", "remedy": arg, "amount": case.slots.get("amount"), "amount_kind": case.amount_kind or "refund"}))
        elif verb == "au" and case.remedy and arg in catalogue.remedy(case.remedy).audiences:
            case.audience = arg
        elif verb == "tn" and arg in TONES:
            profile.tone = arg
            self.store.save_profile(profile)
        elif verb == "dl" and arg in LOCALES:
            case.draft_locale = arg
        elif verb == "sk":
            if case.pending and case.pending not in case.skipped:
                case.skipped.append(case.pending)
            case.pending = None
        elif verb == "ad":
            return [self._case_reply(profile, case, replace=True, full_advice=arg == "1")]
        elif verb == "nt":
            return [self._ask_scenario(profile, case, replace_message=True)]
        else:
            return [Reply(text=_("That button is no longer valid. Send the description again."))]
        return [self._case_reply(profile, case, replace=True, dirty=True)]

    def _press_negotiation(self, profile: Profile, case: Case | None, verb: str, arg: str) -> list[Reply] | None:
        """The buttons of following a case: the buyer answered, read it as…, another audience of the
        move, reminders, closing and reopening. None: not one of these."""
        _ = translator(profile.locale).gettext
        if verb not in ("ba", "st", "rs", "ma", "rd", "cl", "co", "ro"):
            return None
        if case is None or case.scenario == UNKNOWN:
            return [Reply(text=_("That button is no longer valid. Send the description again."))]
        if verb == "ro":
            return self.reopen_case(profile, case)
        if verb == "co":
            return self.close_case(profile, case, arg)
        if case.status == CLOSED:
            return [Reply(text=_("Case #{case} is closed. Reopen it to go on.").format(case=case.case_id),
                          buttons=[[Button(_("Reopen case #{case}").format(case=case.case_id), action=f"ro:{case.case_id}")]])]
        if verb == "ba":
            self.awaiting(profile, "answer", case)
            return [Reply(text=_("Paste or forward what the buyer answered for case #{case}.").format(case=case.case_id))]
        if verb == "st":
            return self._read_as(profile, case, arg)
        if verb == "rs":
            return self._reread(profile, case)
        if verb == "ma":
            return self._show_move_audience(profile, case, arg)
        if verb == "rd":
            return self._ask_when(profile, case) if arg == "ask" else self._set_reminder(profile, case, arg)
        return self._ask_outcome(profile, case)


__all__ = ["Conversation", "LOCALE_NAMES"]
