"""Settings: who the merchant is to negobot — interface and draft language, shop name, signature,
phone — and the welcome, help and scenario list that show them."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.conversation.model import Button, MerchantKey, Profile, Reply
from bot.engine.catalogue import LOCALES, UNKNOWN
from bot.i18n import N_, locale_for_language_code, translator

LOCALE_NAMES = {"zh_CN": "简体中文", "zh_TW": "繁體中文", "en": "English"}
MAX_SHOP_CHARS = 40
MAX_SIGNATURE_CHARS = 80
MAX_PHONE_CHARS = 24
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]*[0-9]$")


class SettingsFlow:
    """Mixed into Conversation (bot/conversation/core.py)."""

    def profile(self, merchant_id: MerchantKey, language_code: str | None = None) -> Profile:
        profile = self.store.load_profile(merchant_id)
        if profile is None:     # saved once something differs from what the language code gives
            return Profile(merchant_id=merchant_id, locale=locale_for_language_code(language_code))
        if not profile.locale_chosen and language_code and locale_for_language_code(language_code) != profile.locale:
            profile.locale = locale_for_language_code(language_code)
            self.store.save_profile(profile)
        return profile

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
            _("/note TEXT, /rename NAME — keep notes and names with a case; /tz ZONE — your time zone for reminders"),
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

    def set_timezone(self, merchant_id: MerchantKey, name: str, language_code: str | None = None) -> list[Reply]:
        """/tz Asia/Taipei: the zone reminders and quiet hours follow (IANA names)."""
        name = name.strip()
        return self._set_profile_text(
            merchant_id, language_code, "timezone", name,
            usage=N_("Usage: /tz ZONE — the time zone for reminders and quiet hours, for example /tz Asia/Taipei. Now: {timezone}"),
            invalid=N_("I don't know the time zone “{value}”; use a name like Asia/Shanghai, Asia/Taipei or Europe/London.") if name and not _known_zone(name) else None,
            limit=40, done=N_("Reminders follow the time zone {timezone}; none are sent between 22:00 and 08:00 there."))

    def _set_profile_text(self, merchant_id: MerchantKey, language_code: str | None, field: str, value: str, *,
                          usage: str, invalid: str | None, limit: int, done: str) -> list[Reply]:
        """/shop, /sign, /phone: no value shows the setting and how to change it; a bad one says why."""
        profile = self.profile(merchant_id, language_code)
        _ = translator(profile.locale).gettext
        if not value:
            return [Reply(text=_(usage).format(**{field: getattr(profile, field) or _("(not set)")}))]
        if invalid:
            return [Reply(text=_(invalid).format(length=len(value), limit=limit, value=value[:40]))]
        setattr(profile, field, value)
        self.store.save_profile(profile)
        return [Reply(text=_(done).format(**{field: value}))]

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


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return len(name) <= 40


__all__ = ["SettingsFlow", "LOCALE_NAMES"]
