"""Describing a case: a merchant's description read into a case, the one-message answer (scenario,
platform action, recommended draft, the detail it still needs, buttons for the rest), choosing or
correcting the scenario, and further problems the description states."""

from __future__ import annotations

from bot.conversation.details import _ASKED, _SLOT_QUESTIONS
from bot.conversation.model import CLOSED, MAX_COPY_CHARS, Button, Case, CaseEvent, Profile, Reply
from bot.conversation.settings import LOCALE_NAMES
from bot.engine.catalogue import LOCALES, UNKNOWN
from bot.engine.drafts import MAX_DESCRIPTION_CHARS, InputError, MerchantSettings, check_description
from bot.engine.packs import PackError, load_pack
from bot.i18n import N_, translator

_AUDIENCE_LABELS = {
    "buyer": N_("Message to the buyer"),
    "platform": N_("Note for the platform's negotiation field"),
    "carrier": N_("Claim letter to the carrier"),
}
_ALSO = "_also"     # a case's facts key: the further problems its description states (scenario ids)


class DescribeFlow:
    """Mixed into Conversation (bot/conversation/core.py)."""

    def describe(self, profile: Profile, text: str) -> list[Reply]:
        """A new description: the previous case's open question lapses (only the latest case's is read)."""
        merchant_id = profile.merchant_id
        try:
            description = check_description(text)
        except InputError:
            return [Reply(text=self._input_problem(profile, text))]
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
        case.audience = self._first_audience(case.remedy)
        # saved once, question, opening event and all
        return [self._case_reply(profile, case, dirty=True, options=options, opened=description)]

    def _opened(self, case: Case, description: str) -> CaseEvent:
        """The event that opens a case's history: what the merchant described and what was offered."""
        return CaseEvent(case.case_id, self.clock(), "opened", {
            "description": description[:500], "scenario": case.scenario, "remedy": case.remedy,
            "amount": case.slots.get("amount"), "amount_kind": case.amount_kind or "refund"})

    def _set_refund_paid(self, profile: Profile, case: Case, paid: bool) -> list[Reply]:
        """The merchant says the refund has (or has not) gone out: the case is read again with that
        fact — its remedies, its platform advice, its drafts — in place of the card."""
        if paid:
            case.facts["refund_paid"] = True
        else:
            case.facts.pop("refund_paid", None)
        case.remedy = self._recommended(case)
        case.audience, case.pending = self._first_audience(case.remedy), None
        return [self._case_reply(profile, case, replace=True, dirty=True)]

    def _first_audience(self, remedy: str | None) -> str:
        """Whom a remedy's draft is shown for first: the buyer, unless it writes to the carrier first."""
        return self.engine.catalogue.remedy(remedy).audiences[0] if remedy else "buyer"

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
        case.audience = self._first_audience(case.remedy)
        # a case's own question: answered in place
        return [self._case_reply(profile, case, replace=bool(case_id), dirty=True, opened="" if fresh else None)]

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
        case.audience = self._first_audience(case.remedy)
        case.created_at = self.clock()
        return [self._case_reply(profile, case, dirty=True, opened="")]    # a new message: the first case's stays

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
                    opened: str | None = None,
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
        advice = self.engine.advice(case.scenario, locale, case.facts)
        lines.append(_("On the platform: {action}").format(action=advice[0]))
        lines.extend(self.engine.card_notes(case.scenario, locale, case.facts))
        if full_advice:
            lines.extend(f"• {item}" for item in advice[1:])
        if options is None:
            options = self.engine.remedy_options(case.scenario, case.facts)
        if options:
            lines.append(_("Recommended: {remedy} — {why}").format(
                remedy=catalogue.remedy(options[0].remedy).title[locale], why=options[0].why[locale]))
        elif case.remedy is None:
            # e.g. a parcel signed for and waiting to be inspected whose refund has already gone out
            lines.append(_("Nothing to send for this case as I read it: the advice above is what to do. If I misread it, tap “Not this case” or correct the refund below."))
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
        if dirty or opened is not None:
            # a new case is saved with the event that opens its history, in one transaction
            self.store.save_case(case, (self._opened(case, opened),) if opened is not None else ())
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
        # Whether the refund has gone out changes every draft, and a description may not say it plainly:
        # one tap corrects the reading either way.
        rows.append([Button(_("Refund not paid yet") if case.facts.get("refund_paid") else _("Refund already paid"),
                            action=f"rp:{cid}:{0 if case.facts.get('refund_paid') else 1}")])
        if case.remedy is not None:
            other_tone = "formal" if profile.tone == "warm" else "warm"
            tone_label = _("Tone: formal") if other_tone == "formal" else _("Tone: warm")
            rows.append([Button(tone_label, action=f"tn:{cid}:{other_tone}")]
                        + [Button(LOCALE_NAMES[loc], action=f"dl:{cid}:{loc}") for loc in LOCALES if loc != case.draft_locale])
        return rows


__all__ = ["DescribeFlow"]
