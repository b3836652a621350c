"""The conversation: one merchant's messages and button presses in, Reply objects out."""

from __future__ import annotations

import re
import time
from typing import Callable

from bot.conversation.answer import AnswerFlow, answer_prefix
from bot.conversation.cases import CasesFlow, limit_amount, limit_kind
from bot.conversation.model import CLOSED, MAX_COPY_CHARS, Button, Case, CaseEvent, MerchantKey, Profile, Reply, Store
from bot.conversation.reminder_time import parse_when
from bot.conversation.reminders import PRESETS, ReminderFlow
from bot.engine.catalogue import LOCALES, UNKNOWN
from bot.engine.drafts import MAX_DESCRIPTION_CHARS, Engine, InputError, MerchantSettings, TONES, check_description
from bot.engine.numerals import parse_number
from bot.engine.packs import PackError, load_pack
from bot.engine.slots import MEASURE_WORDS
from bot.i18n import N_, locale_for_language_code, translator

LOCALE_NAMES = {"zh_CN": "简体中文", "zh_TW": "繁體中文", "en": "English"}
MAX_SHOP_CHARS = 40
MAX_SIGNATURE_CHARS = 80
_AUDIENCE_LABELS = {
    "buyer": N_("Message to the buyer"),
    "platform": N_("Note for the platform's negotiation field"),
    "carrier": N_("Claim letter to the carrier"),
}
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
    "shop": N_("the shop's own slip"),
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
_ALSO = "_also"     # a case's facts key: the further problems its description states (scenario ids)
MAX_PHONE_CHARS = 24
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]*[0-9]$")


class Conversation(AnswerFlow, CasesFlow, ReminderFlow):
    """The conversation core. Each flow lives in its own module and is mixed in here: describing a
    case and its details (this module), the buyer's answers (answer.py), cases (cases.py),
    reminders (reminders.py); transports call only the public methods."""

    AUDIENCE_LABELS = _AUDIENCE_LABELS
    SLOT_LABELS = _SLOT_LABELS
    MAX_COPY = MAX_COPY_CHARS

    def __init__(self, engine: Engine, store: Store, clock: Callable[[], float] = time.time):
        self.engine = engine
        self.store = store
        self.clock = clock           # epoch seconds; tests move it to fire reminders

    # ---- profiles -------------------------------------------------------
    def profile(self, merchant_id: MerchantKey, language_code: str | None = None) -> Profile:
        profile = self.store.load_profile(merchant_id)
        if profile is None:
            profile = Profile(merchant_id=merchant_id, locale=locale_for_language_code(language_code))
            self.store.save_profile(profile)
        elif not profile.locale_chosen and language_code and locale_for_language_code(language_code) != profile.locale:
            profile.locale = locale_for_language_code(language_code)
            self.store.save_profile(profile)
        return profile

    # ---- commands -------------------------------------------------------
    def start(self, merchant_id: MerchantKey, language_code: str | None = None) -> list[Reply]:
        profile = self.profile(merchant_id, language_code)
        _ = translator(profile.locale).gettext
        return [Reply(title=_("negobot — drafts for returns that went wrong"), text=self._help_text(profile),
                      buttons=[[Button(_("Browse the scenarios"), action="ls")], self._language_row(profile)])]

    def help(self, merchant_id: MerchantKey, language_code: str | None = None) -> list[Reply]:
        profile = self.profile(merchant_id, language_code)
        _ = translator(profile.locale).gettext
        return [Reply(title=_("How to use negobot"), text=self._help_text(profile),
                      buttons=[[Button(_("Browse the scenarios"), action="ls")]])]

    def _help_text(self, profile: Profile) -> str:
        _ = translator(profile.locale).gettext
        lines = [
            _("Describe the return problem in one message, the way you would tell a colleague."),
            _("I recognise the case, tell you what to do on the platform (negotiate — never reject outright) and write drafts for you to paste."),
            _("Example: 买家退货单号SF1409823356721填错了"),
            "",
            _("/scenarios — browse every case and its drafts"),
            _("/lang — interface and draft language"),
            _("/shop NAME — the shop name drafts use"),
            _("/sign TEXT — the signature drafts end with"),
            _("/phone NUMBER — the contact phone carrier letters give"),
            "",
            _("After you send a draft: paste or forward the buyer's answer (or start it with 买家：) and I draft the next move."),
            _("/cases — your open cases; /buyer TEXT — the buyer's answer for the latest case"),
            _("/remind 2h — a reminder if the buyer goes quiet; /limit 100 — the most you'll give in this case"),
            _("/note TEXT, /rename NAME — keep notes and names with a case"),
        ]
        settings = []
        if profile.shop:
            settings.append(_("Shop: {shop}").format(shop=profile.shop))
        if profile.signature:
            settings.append(_("Signature: {signature}").format(signature=profile.signature))
        if profile.phone:
            settings.append(_("Phone: {phone}").format(phone=profile.phone))
        if settings:
            lines += ["", *settings]
        return "\n".join(lines)

    def scenarios(self, merchant_id: MerchantKey, language_code: str | None = None) -> list[Reply]:
        profile = self.profile(merchant_id, language_code)
        _ = translator(profile.locale).gettext
        rows = [[Button(s.title[profile.locale], action=f"sc:0:{s.id}")]
                for s in self.engine.catalogue.scenarios.values() if s.id != UNKNOWN]
        return [Reply(title=_("Scenarios"), text=_("Pick the case you are handling to see the advice and the drafts."), buttons=rows)]

    def language(self, merchant_id: MerchantKey, choice: str | None = None, language_code: str | None = None) -> list[Reply]:
        profile = self.profile(merchant_id, language_code)
        if choice:
            locale = _match_locale(choice)
            if locale is None:
                _ = translator(profile.locale).gettext
                return [Reply(text=_("I don't have that language. Choose one:"), buttons=[self._language_row(profile, all_=True)])]
            profile.locale, profile.locale_chosen = locale, True
            self.store.save_profile(profile)
            _ = translator(locale).gettext
            return [Reply(text=_("Language set to {language}. Drafts will be written in it too.").format(language=LOCALE_NAMES[locale]))]
        _ = translator(profile.locale).gettext
        return [Reply(text=_("Choose the language for me and for your drafts:"), buttons=[self._language_row(profile, all_=True)])]

    def set_shop(self, merchant_id: MerchantKey, name: str, language_code: str | None = None) -> list[Reply]:
        name = " ".join(name.split())
        return self._set_profile_text(
            merchant_id, language_code, "shop", name,
            usage=N_("Usage: /shop NAME — for example /shop 小鹿家居. Now: {shop}"),
            invalid=N_("That shop name is {length} characters long; keep it within {limit}.") if len(name) > MAX_SHOP_CHARS else None,
            limit=MAX_SHOP_CHARS, done=N_("Drafts will name your shop as: {shop}"))

    def set_signature(self, merchant_id: MerchantKey, text: str, language_code: str | None = None) -> list[Reply]:
        text = text.strip()
        return self._set_profile_text(
            merchant_id, language_code, "signature", text,
            usage=N_("Usage: /sign TEXT — for example /sign 小鹿家居客服 阿敏. Now: {signature}"),
            invalid=N_("That signature is {length} characters long; keep it within {limit}.") if len(text) > MAX_SIGNATURE_CHARS else None,
            limit=MAX_SIGNATURE_CHARS, done=N_("Drafts will be signed: {signature}"))

    def set_phone(self, merchant_id: MerchantKey, number: str, language_code: str | None = None) -> list[Reply]:
        number = " ".join(number.split())
        phone = _phone(number) if number else ""
        return self._set_profile_text(
            merchant_id, language_code, "phone", phone if phone is not None else number,
            usage=N_("Usage: /phone NUMBER — the phone carrier letters give, for example /phone 13800138000. Now: {phone}"),
            invalid=N_("That doesn't look like a phone number: use digits, spaces, - or a leading +, within {limit} characters.") if phone is None else None,
            limit=MAX_PHONE_CHARS, done=N_("Carrier letters will give the contact phone: {phone}"))

    def _set_profile_text(self, merchant_id: MerchantKey, language_code: str | None, field: str, value: str, *,
                          usage: str, invalid: str | None, limit: int, done: str) -> list[Reply]:
        """/shop, /sign, /phone: no value shows the setting and how to change it; a bad one says why."""
        profile = self.profile(merchant_id, language_code)
        _ = translator(profile.locale).gettext
        if not value:
            return [Reply(text=_(usage).format(**{field: getattr(profile, field) or _("(not set)")}))]
        if invalid:
            return [Reply(text=_(invalid).format(length=len(value), limit=limit))]
        setattr(profile, field, value)
        self.store.save_profile(profile)
        return [Reply(text=_(done).format(**{field: value}))]

    def warm_up(self) -> None:
        """Do once, at start-up, what the first answers would otherwise pay for: load each shipped pack
        and compile every template, and build the Traditional-Chinese converter (one zh_TW draft)."""
        for locale in LOCALES:
            pack = load_pack(locale)
            for name in pack.template_names():
                pack.environment.get_template(name)
        scenario = next(s for s in self.engine.catalogue.scenarios.values() if s.id != UNKNOWN)
        self.engine.drafts(scenario.id, {}, load_pack("zh_TW"))

    # ---- what every transport needs besides the conversation -------------
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
    def went_wrong(language_code: str | None = None) -> list[Reply]:
        """Answer when handling a message failed unexpectedly; reads nothing from the store."""
        _ = translator(locale_for_language_code(language_code)).gettext
        return [Reply(text=_("Sorry, something went wrong while handling that. Please try again; if it keeps happening, send /start."))]

    # ---- free text ------------------------------------------------------
    def message(self, merchant_id: MerchantKey, text: str, language_code: str | None = None) -> list[Reply]:
        profile = self.profile(merchant_id, language_code)
        _ = translator(profile.locale).gettext
        if isinstance(text, str) and answer_prefix(text) is not None:
            return self.buyer_answer(merchant_id, answer_prefix(text) or "", language_code=language_code)
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
            value = self._read_answer(case.pending, text)
            if value is not None:
                if case.pending == "phone":         # a shop setting, kept for every later letter
                    profile.phone = str(value)
                    self.store.save_profile(profile)
                else:
                    case.slots[case.pending] = value
                if case.pending == "amount":
                    case.amount_kind = self.engine.slots.extract_details(text)[1] or "refund"
                case.pending = None
                return [self._case_reply(profile, case, dirty=True)]
        try:
            description = check_description(text)
        except InputError:
            return [Reply(text=self._input_problem(profile, text))]
        # A new description: the previous case's open question lapses (only the latest case's is read).
        analysis = self.engine.analyse(description)
        prediction = analysis.prediction
        case = Case(
            merchant_id=merchant_id,
            case_id=self.store.new_case_id(merchant_id),
            scenario=prediction.scenario,
            slots=dict(analysis.slots),
            draft_locale=profile.locale,
            confidence=prediction.confidence,
            alternatives=[s for s, _c in prediction.alternatives if s != UNKNOWN],
            amount_kind=analysis.amount_kind,
            facts=analysis.facts.as_dict(),
            created_at=self.clock(),
        )
        if prediction.scenario == UNKNOWN:
            case.status = CLOSED          # nothing to negotiate; a scenario chosen by button opens it
            self.store.save_case(case)
            return [self._unknown_reply(profile, case)]
        if prediction.confidence < self.engine.classifier.settings.min_confidence:
            self.store.save_case(case)
            return [self._ask_scenario(profile, case)]
        also = [s for s in prediction.also if s in self.engine.catalogue.scenarios and s not in (UNKNOWN, case.scenario)]
        if also:        # further problems the description states: buttons on the same card, kept with the case
            case.facts[_ALSO] = also
        options = self.engine.remedy_options(case.scenario, case.facts)
        case.remedy = options[0].remedy if options else None
        reply = self._case_reply(profile, case, dirty=True, options=options)    # saved once, question and all
        self._opened(case, description)
        return [reply]

    def _opened(self, case: Case, description: str) -> None:
        self.store.add_event(case.merchant_id, CaseEvent(case.case_id, self.clock(), "opened", {
            "description": description[:500], "scenario": case.scenario, "remedy": case.remedy,
            "amount": case.slots.get("amount"), "amount_kind": case.amount_kind or "refund"}))

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
        import datetime as dt
        now = dt.datetime.fromtimestamp(self.clock(), self.zone(profile))
        return parse_when(PRESETS.get(text.strip(), text), now) is not None

    def _recommended(self, case: Case) -> str | None:
        options = self.engine.remedy_options(case.scenario, case.facts)
        return options[0].remedy if options else None

    def _input_problem(self, profile: Profile, text: str) -> str:
        _ = translator(profile.locale).gettext
        stripped = text.strip() if isinstance(text, str) else ""
        if not stripped:
            return _("Please describe the return problem in a sentence, for example: 退回来少了一件.")
        if len(stripped) > MAX_DESCRIPTION_CHARS:
            return _("That message is {length} characters long. Describe the case in a few sentences (up to {limit} characters) and I'll take it from there.").format(length=len(stripped), limit=MAX_DESCRIPTION_CHARS)
        return _("I can only read plain text. Please describe the return problem in words.")

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

    # ---- buttons --------------------------------------------------------
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
        if case is None or case.scenario == UNKNOWN or case.remedy is None and verb not in ("nt", "ad"):
            return [Reply(text=_("That button is no longer valid. Send the description again."))]
        catalogue = self.engine.catalogue
        if verb == "rm" and arg in {o.remedy for o in self.engine.remedy_options(case.scenario, case.facts)}:
            case.remedy, case.audience, case.pending = arg, "buyer", None
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

    def _choose_scenario(self, profile: Profile, case_id: int, scenario: str) -> list[Reply]:
        _ = translator(profile.locale).gettext
        if scenario not in self.engine.catalogue.scenarios or scenario == UNKNOWN:
            return [Reply(text=_("That button is no longer valid. Send the description again."))]
        case = self.store.load_case(profile.merchant_id, case_id) if case_id else None
        if case is None:
            case = Case(merchant_id=profile.merchant_id, case_id=self.store.new_case_id(profile.merchant_id),
                        scenario=scenario, slots={}, draft_locale=profile.locale)
        fresh = case.status == CLOSED or case.created_at is None
        case.scenario, case.confidence, case.pending, case.audience = scenario, None, None, "buyer"
        case.status, case.outcome = "open", None
        case.created_at = case.created_at or self.clock()
        case.remedy = self._recommended(case)
        reply = self._case_reply(profile, case, replace=bool(case_id), dirty=True)   # a case's own question: answered in place
        if fresh:
            self._opened(case, "")
        return [reply]

    # ---- several problems in one description ------------------------------
    def _also_buttons(self, profile: Profile, case: Case) -> list[list[Button]]:
        """A button per further problem the description states (kept in the case's facts under
        _ALSO, which the engine ignores); each opens that scenario's drafts as a case of its own."""
        _ = translator(profile.locale).gettext
        catalogue = self.engine.catalogue
        return [[Button(_("Also: {scenario} — handle it too").format(scenario=catalogue.scenario(s).title[profile.locale]),
                        action=f"al:{case.case_id}:{s}")]
                for s in case.facts.get(_ALSO) or () if s in catalogue.scenarios and s not in (UNKNOWN, case.scenario)]

    def _handle_also(self, profile: Profile, case_id: int, scenario: str) -> list[Reply]:
        """A new case for the further problem, on the details and facts of the case it was found in."""
        _ = translator(profile.locale).gettext
        source = self.store.load_case(profile.merchant_id, case_id)
        if source is None or scenario not in self.engine.catalogue.scenarios or scenario == UNKNOWN:
            return [Reply(text=_("That button is no longer valid. Send the description again."))]
        facts = {k: v for k, v in source.facts.items() if k != _ALSO}
        case = Case(merchant_id=profile.merchant_id, case_id=self.store.new_case_id(profile.merchant_id),
                    scenario=scenario, slots=dict(source.slots), draft_locale=source.draft_locale,
                    amount_kind=source.amount_kind, facts=facts)
        case.remedy = self._recommended(case)
        case.created_at = self.clock()
        reply = self._case_reply(profile, case, dirty=True)       # a new message: the first case's stays
        self._opened(case, "")
        return [reply]

    # ---- replies --------------------------------------------------------
    def _unknown_reply(self, profile: Profile, case: Case) -> Reply:
        _ = translator(profile.locale).gettext
        advice = self.engine.catalogue.scenario(UNKNOWN).advice[profile.locale]
        text = "\n".join([_("This doesn't look like a return that went wrong, so I won't guess."), advice.action, *advice.steps])
        rows = [[Button(self.engine.catalogue.scenario(s).title[profile.locale], action=f"sc:{case.case_id}:{s}")]
                for s in case.alternatives[:2]]
        rows.append([Button(_("Browse the scenarios"), action="ls")])
        return Reply(title=_("Not sure what happened"), text=text, buttons=rows)

    def _ask_scenario(self, profile: Profile, case: Case, replace_message: bool = False) -> Reply:
        _ = translator(profile.locale).gettext
        catalogue = self.engine.catalogue
        if replace_message:   # "not this": the other candidates
            options = [s for s in case.alternatives if s not in (case.scenario, UNKNOWN)]
        else:                 # unsure: the best guess first
            options = [s for s in [case.scenario, *case.alternatives] if s != UNKNOWN]
        options = list(dict.fromkeys(options))
        rows = [[Button(catalogue.scenario(s).title[profile.locale], action=f"sc:{case.case_id}:{s}")] for s in options[:3]]
        rows.append([Button(_("None of these — show all scenarios"), action="ls")])
        text = _("Which of these is it?") if replace_message else _("I'm not sure which case this is. Which of these is it?")
        return Reply(text=text, buttons=rows)

    def _case_reply(self, profile: Profile, case: Case, replace: bool = False, full_advice: bool = False,
                    dirty: bool = False, options: list | None = None) -> Reply:
        """The whole answer to a description in one message: the case, the platform action in a line,
        the recommendation, its draft (or the one the merchant switched to), the first detail it still
        needs as a question, and buttons for the rest (other drafts, advice in full, audiences, tone,
        language), which edit this same message. Saves the case if `dirty` or the question changed."""
        _ = translator(profile.locale).gettext
        catalogue = self.engine.catalogue
        scenario = catalogue.scenario(case.scenario)
        locale = profile.locale
        head = scenario.title[locale]
        if case.confidence is not None:
            head = _("{scenario} (confidence {percent}%)").format(scenario=head, percent=round(case.confidence * 100))
        lines = []
        found = self._slot_summary(profile, case)
        if found:
            lines.append(_("Details found: {details}").format(details=found))
        read = self._fact_summary(profile, case)
        if read:
            lines.append(_("What I read: {facts}").format(facts=read))
        advice = self.engine.advice(case.scenario, locale)
        lines.append(_("On the platform: {action}").format(action=advice[0]))
        if full_advice:
            lines.extend(f"• {item}" for item in advice[1:])
        if options is None:
            options = self.engine.remedy_options(case.scenario, case.facts)
        if options:
            lines.append(_("Recommended: {remedy} — {why}").format(
                remedy=catalogue.remedy(options[0].remedy).title[locale], why=options[0].why[locale]))
        draft_text, question, asking = None, None, False
        if case.remedy is not None:
            remedy = catalogue.remedy(case.remedy)
            lines += ["", f"▸ {_(_AUDIENCE_LABELS[case.audience])} · {remedy.title[locale]}"]
            if not options or case.remedy != options[0].remedy:
                lines.append(remedy.summary[locale])
            draft = self._write(profile, case)
            if draft is None:
                lines.append(_("Sorry, that draft could not be written. The team has been told; try another remedy or language."))
            else:
                draft_text = draft.text
                if case.audience == "platform":
                    lines.append(_("{length} characters (keep platform notes within 200).").format(length=len(draft.text)))
                if draft.reading:
                    lines += [_("The letter goes to a mainland carrier, so it is in Simplified Chinese. In your language:"),
                              draft.reading]
                missing = [slot for slot in _ASKED if slot in draft.missing and slot not in case.skipped]
                pending = missing[0] if missing else None
                if pending != case.pending:
                    case.pending, dirty = pending, True
                if pending:
                    question, asking = "❓ " + _(_SLOT_QUESTIONS[pending]), True
        if dirty:
            self.store.save_case(case)
        return Reply(title=head, text="\n".join(lines), draft=draft_text, footer=question,
                     buttons=self._case_buttons(profile, case, draft_text, options, asking, full_advice), replace=replace)

    def _write(self, profile: Profile, case: Case):
        """The draft the case is on, with the merchant's settings; None when its pack is broken."""
        settings = MerchantSettings(shop=profile.shop, signature=profile.signature, tone=profile.tone)
        slots = {**case.slots, "phone": profile.phone} if profile.phone else case.slots
        try:
            pack = load_pack(case.draft_locale)
            return self.engine.draft(case.scenario, case.remedy, case.audience, slots, pack, settings,
                                     amount_kind=case.amount_kind, facts=case.facts)
        except PackError:
            return None

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
        return " · ".join(parts)

    def _slot_summary(self, profile: Profile, case: Case) -> str:
        _ = translator(profile.locale).gettext
        parts = []
        for key, value in case.slots.items():
            if key == "carrier" and value in self.engine.catalogue.carriers:
                value = self.engine.catalogue.carriers[value].name[profile.locale]
            if key in _SLOT_LABELS:
                parts.append(f"{_(_SLOT_LABELS[key])} {value}")
        return " · ".join(parts)

    def _case_buttons(self, profile: Profile, case: Case, draft: str | None, options, asking: bool,
                      full_advice: bool) -> list[list[Button]]:
        _ = translator(profile.locale).gettext
        catalogue = self.engine.catalogue
        cid = case.case_id
        rows: list[list[Button]] = []
        if draft is not None and len(draft) <= MAX_COPY_CHARS:
            rows.append([Button(_("Copy draft"), copy_text=draft)])
        if asking:
            rows.append([Button(_("Skip"), action=f"sk:{cid}")])
        if case.remedy is not None:
            audiences = [a for a in catalogue.remedy(case.remedy).audiences if a != case.audience]
            if audiences:
                rows.append([Button(_(_AUDIENCE_LABELS[a]), action=f"au:{cid}:{a}") for a in audiences])
            for option in options:
                if option.remedy != case.remedy:
                    rows.append([Button("↪ " + catalogue.remedy(option.remedy).title[profile.locale],
                                        action=f"rm:{cid}:{option.remedy}")])
        rows.extend(self._also_buttons(profile, case))
        if case.remedy is not None:
            rows.append([Button(_("✉ Buyer answered"), action=f"ba:{cid}"), Button(_("⏰ Remind me…"), action=f"rd:{cid}:ask"),
                         Button(_("Close case…"), action=f"cl:{cid}")])
        advice = (Button(_("Less advice"), action=f"ad:{cid}:0") if full_advice
                  else Button(_("Advice in full"), action=f"ad:{cid}:1"))
        rows.append([advice, Button(_("Not this case"), action=f"nt:{cid}")])
        if case.remedy is not None:
            other_tone = "formal" if profile.tone == "warm" else "warm"
            tone_label = _("Tone: formal") if other_tone == "formal" else _("Tone: warm")
            rows.append([Button(tone_label, action=f"tn:{cid}:{other_tone}")]
                        + [Button(LOCALE_NAMES[loc], action=f"dl:{cid}:{loc}") for loc in LOCALES if loc != case.draft_locale])
        return rows

    def _language_row(self, profile: Profile, all_: bool = False) -> list[Button]:
        return [Button(LOCALE_NAMES[loc], action=f"lg:{loc}") for loc in LOCALES if all_ or loc != profile.locale]


def _phone(text: str) -> str | None:
    """A phone number as the merchant wrote it (digits, spaces, -, a leading +), or None."""
    text = " ".join(text.split())
    digits = sum(ch.isdigit() for ch in text)
    return text if len(text) <= MAX_PHONE_CHARS and _PHONE.match(text) and 5 <= digits <= 20 else None


def _match_locale(choice: str) -> str | None:
    choice = choice.strip()
    aliases = {
        "zh_cn": "zh_CN", "zh-cn": "zh_CN", "zh": "zh_CN", "cn": "zh_CN", "简体": "zh_CN", "简体中文": "zh_CN", "zh-hans": "zh_CN",
        "zh_tw": "zh_TW", "zh-tw": "zh_TW", "tw": "zh_TW", "繁體": "zh_TW", "繁体": "zh_TW", "繁體中文": "zh_TW", "zh-hant": "zh_TW", "zh-hk": "zh_TW",
        "en": "en", "english": "en", "英文": "en",
    }
    return aliases.get(choice.lower())


__all__ = ["Conversation", "LOCALE_NAMES"]
