"""The conversation: one merchant's messages and button presses in, Reply objects out."""

from __future__ import annotations

import re


from bot.conversation.model import MAX_COPY_CHARS, Button, Case, MerchantKey, Profile, Reply, Store
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
}
_BARE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]{5,38}$")
# Details the bot asks for when a draft shows them as placeholders, in this order; the others
# (dates, insurance, phone, order number) stay visible placeholders in the letter.
_ASKED = ("amount", "quantity", "carrier", "tracking_number", "time_frame", "value")
MAX_TIME_FRAME_CHARS = 20


class Conversation:
    def __init__(self, engine: Engine, store: Store):
        self.engine = engine
        self.store = store

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
        ]
        settings = []
        if profile.shop:
            settings.append(_("Shop: {shop}").format(shop=profile.shop))
        if profile.signature:
            settings.append(_("Signature: {signature}").format(signature=profile.signature))
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
        profile = self.profile(merchant_id, language_code)
        _ = translator(profile.locale).gettext
        name = " ".join(name.split())
        if not name:
            current = profile.shop or _("(not set)")
            return [Reply(text=_("Usage: /shop NAME — for example /shop 小鹿家居. Now: {shop}").format(shop=current))]
        if len(name) > MAX_SHOP_CHARS:
            return [Reply(text=_("That shop name is {length} characters long; keep it within {limit}.").format(length=len(name), limit=MAX_SHOP_CHARS))]
        profile.shop = name
        self.store.save_profile(profile)
        return [Reply(text=_("Drafts will name your shop as: {shop}").format(shop=name))]

    def set_signature(self, merchant_id: MerchantKey, text: str, language_code: str | None = None) -> list[Reply]:
        profile = self.profile(merchant_id, language_code)
        _ = translator(profile.locale).gettext
        text = text.strip()
        if not text:
            current = profile.signature or _("(not set)")
            return [Reply(text=_("Usage: /sign TEXT — for example /sign 小鹿家居客服 阿敏. Now: {signature}").format(signature=current))]
        if len(text) > MAX_SIGNATURE_CHARS:
            return [Reply(text=_("That signature is {length} characters long; keep it within {limit}.").format(length=len(text), limit=MAX_SIGNATURE_CHARS))]
        profile.signature = text
        self.store.save_profile(profile)
        return [Reply(text=_("Drafts will be signed: {signature}").format(signature=text))]

    # ---- what every transport needs besides the conversation -------------
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
        case = self.store.latest_case(merchant_id)
        if case is not None and case.pending:
            value = self._read_answer(case.pending, text)
            if value is not None:
                case.slots[case.pending] = value
                if case.pending == "amount":
                    case.amount_kind = self.engine.slots.extract_details(text)[1] or "refund"
                case.pending = None
                self.store.save_case(case)
                return self._draft_replies(profile, case)
        try:
            description = check_description(text)
        except InputError:
            return [Reply(text=self._input_problem(profile, text))]
        if case is not None and case.pending:
            case.pending = None
            self.store.save_case(case)
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
        )
        if prediction.scenario == UNKNOWN:
            self.store.save_case(case)
            return [self._unknown_reply(profile, case)]
        if prediction.confidence < self.engine.classifier.settings.min_confidence:
            self.store.save_case(case)
            return [self._ask_scenario(profile, case)]
        case.remedy = self._recommended(case)
        self.store.save_case(case)
        return self._case_replies(profile, case) + self._also_replies(profile, case, prediction.also)

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
        case = self.store.load_case(merchant_id, case_id)
        if case is None or case.scenario == UNKNOWN or case.remedy is None and verb != "nt":
            return [Reply(text=_("That button is no longer valid. Send the description again."))]
        catalogue = self.engine.catalogue
        if verb == "rm" and arg in {o.remedy for o in self.engine.remedy_options(case.scenario, case.facts)}:
            case.remedy, case.audience, case.pending = arg, "buyer", None
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
            self.store.save_case(case)
            return self._draft_replies(profile, case)
        elif verb == "nt":
            return [self._ask_scenario(profile, case, replace_message=True)]
        else:
            return [Reply(text=_("That button is no longer valid. Send the description again."))]
        self.store.save_case(case)
        return self._draft_replies(profile, case, replace_message=True)

    def _choose_scenario(self, profile: Profile, case_id: int, scenario: str) -> list[Reply]:
        _ = translator(profile.locale).gettext
        if scenario not in self.engine.catalogue.scenarios or scenario == UNKNOWN:
            return [Reply(text=_("That button is no longer valid. Send the description again."))]
        case = self.store.load_case(profile.merchant_id, case_id) if case_id else None
        if case is None:
            case = Case(merchant_id=profile.merchant_id, case_id=self.store.new_case_id(profile.merchant_id),
                        scenario=scenario, slots={}, draft_locale=profile.locale)
        case.scenario, case.confidence, case.pending, case.audience = scenario, None, None, "buyer"
        case.remedy = self._recommended(case)
        self.store.save_case(case)
        return self._case_replies(profile, case)

    # ---- several problems in one description ------------------------------
    def _also_replies(self, profile: Profile, case: Case, also: tuple[str, ...]) -> list[Reply]:
        """A button per further problem the description states; each opens that scenario's drafts."""
        _ = translator(profile.locale).gettext
        catalogue = self.engine.catalogue
        rows = [[Button(_("Also: {scenario} — handle it too").format(scenario=catalogue.scenario(s).title[profile.locale]),
                        action=f"al:{case.case_id}:{s}")]
                for s in also if s in catalogue.scenarios and s not in (UNKNOWN, case.scenario)]
        if not rows:
            return []
        return [Reply(text=_("Your description mentions another problem too. Handle it as well, with the same details:"), buttons=rows)]

    def _handle_also(self, profile: Profile, case_id: int, scenario: str) -> list[Reply]:
        """A new case for the further problem, on the details and facts of the case it was found in."""
        _ = translator(profile.locale).gettext
        source = self.store.load_case(profile.merchant_id, case_id)
        if source is None or scenario not in self.engine.catalogue.scenarios or scenario == UNKNOWN:
            return [Reply(text=_("That button is no longer valid. Send the description again."))]
        case = Case(merchant_id=profile.merchant_id, case_id=self.store.new_case_id(profile.merchant_id),
                    scenario=scenario, slots=dict(source.slots), draft_locale=source.draft_locale,
                    amount_kind=source.amount_kind, facts=dict(source.facts))
        case.remedy = self._recommended(case)
        self.store.save_case(case)
        return self._case_replies(profile, case)

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

    def _case_replies(self, profile: Profile, case: Case) -> list[Reply]:
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
        lines.extend(f"• {item}" for item in advice[1:])
        options = self.engine.remedy_options(case.scenario, case.facts)
        if options:
            lines.append(_("Recommended: {remedy} — {why}").format(
                remedy=catalogue.remedy(options[0].remedy).title[locale], why=options[0].why[locale]))
        if case.remedy is None:
            return [Reply(title=head, text="\n".join(lines))]
        return [Reply(title=head, text="\n".join(lines)), *self._draft_replies(profile, case)]

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
        if named["fault"]:
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

    def _draft_replies(self, profile: Profile, case: Case, replace_message: bool = False) -> list[Reply]:
        _ = translator(profile.locale).gettext
        catalogue = self.engine.catalogue
        remedy = catalogue.remedy(case.remedy)
        settings = MerchantSettings(shop=profile.shop, signature=profile.signature, tone=profile.tone)
        try:
            pack = load_pack(case.draft_locale)
            draft = self.engine.draft(case.scenario, remedy.id, case.audience, case.slots, pack, settings,
                                      amount_kind=case.amount_kind, facts=case.facts)
        except PackError:
            return [Reply(text=_("Sorry, that draft could not be written. The team has been told; try another remedy or language."))]
        title = f"{_(_AUDIENCE_LABELS[case.audience])} · {remedy.title[profile.locale]}"
        text = remedy.summary[profile.locale]
        if case.audience == "platform":
            text += "\n" + _("{length} characters (keep platform notes within 200).").format(length=len(draft.text))
        if draft.reading:
            text += "\n" + _("The letter goes to a mainland carrier, so it is in Simplified Chinese. In your language:") \
                + "\n" + draft.reading
        reply = Reply(title=title, text=text, draft=draft.text, buttons=self._draft_buttons(profile, case, draft.text),
                      replace=replace_message)
        replies = [reply]
        missing = [slot for slot in _ASKED if slot in draft.missing and slot not in case.skipped]
        if missing:
            case.pending = missing[0]
            self.store.save_case(case)
            replies.append(Reply(text=_(_SLOT_QUESTIONS[case.pending]),
                                 buttons=[[Button(_("Skip"), action=f"sk:{case.case_id}")]]))
        return replies

    def _draft_buttons(self, profile: Profile, case: Case, draft: str) -> list[list[Button]]:
        _ = translator(profile.locale).gettext
        catalogue = self.engine.catalogue
        cid = case.case_id
        rows: list[list[Button]] = []
        if len(draft) <= MAX_COPY_CHARS:
            rows.append([Button(_("Copy draft"), copy_text=draft)])
        audiences = [a for a in catalogue.remedy(case.remedy).audiences if a != case.audience]
        if audiences:
            rows.append([Button(_(_AUDIENCE_LABELS[a]), action=f"au:{cid}:{a}") for a in audiences])
        for option in self.engine.remedy_options(case.scenario, case.facts):
            if option.remedy != case.remedy:
                rows.append([Button("↪ " + catalogue.remedy(option.remedy).title[profile.locale], action=f"rm:{cid}:{option.remedy}")])
        other_tone = "formal" if profile.tone == "warm" else "warm"
        tone_label = _("Tone: formal") if other_tone == "formal" else _("Tone: warm")
        rows.append([Button(tone_label, action=f"tn:{cid}:{other_tone}")]
                    + [Button(LOCALE_NAMES[loc], action=f"dl:{cid}:{loc}") for loc in LOCALES if loc != case.draft_locale])
        rows.append([Button(_("Not this case"), action=f"nt:{cid}")])
        return rows

    def _language_row(self, profile: Profile, all_: bool = False) -> list[Button]:
        return [Button(LOCALE_NAMES[loc], action=f"lg:{loc}") for loc in LOCALES if all_ or loc != profile.locale]


def _match_locale(choice: str) -> str | None:
    choice = choice.strip()
    aliases = {
        "zh_cn": "zh_CN", "zh-cn": "zh_CN", "zh": "zh_CN", "cn": "zh_CN", "简体": "zh_CN", "简体中文": "zh_CN", "zh-hans": "zh_CN",
        "zh_tw": "zh_TW", "zh-tw": "zh_TW", "tw": "zh_TW", "繁體": "zh_TW", "繁体": "zh_TW", "繁體中文": "zh_TW", "zh-hant": "zh_TW", "zh-hk": "zh_TW",
        "en": "en", "english": "en", "英文": "en",
    }
    return aliases.get(choice.lower())


__all__ = ["Conversation", "LOCALE_NAMES"]
