"""Telegram updates → conversation core → Telegram messages. No conversation logic lives here.

Each merchant's updates are handled one at a time (a per-merchant lock, so a double tap cannot
race on the same case and replies keep their order); different merchants' updates are handled as
they come, their sends concurrent.

The core runs on the event loop itself, not in a worker thread. It is about half a millisecond of
pure Python (classifier, facts, Jinja2, a few short SQLite reads), so under the GIL a thread ran it
no sooner — it only added the hand-over to and from the thread, which measured 0.8 ms of a
5.7 ms round trip (benchmarks/bot_throughput.py). The store serialises every operation under one
lock anyway, so while another process holds the database (SQLite's busy timeout) every merchant
waited before too; now the loop waits with them, for at most that timeout, and then answers
"try again" as before.

What a description, an answer or a press writes is saved after its answer is sent (the store's
write_behind), in a task that holds the merchant's lock until it is saved: the merchant has the
answer a tenth of a millisecond sooner, and their next update still reads what this one wrote.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import Callable

from telegram import Bot, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.conversation.core import Conversation
from bot.conversation.model import Button, HeldWrites, MerchantKey, Reply, merchant_key, split_merchant_key
from bot.conversation.sqlite_store import StoreError
from bot.telegram.render import keyboard_json, render

log = logging.getLogger("negobot.telegram")

_Shown = tuple[int, tuple[tuple[Button, ...], ...]]       # a message sent with buttons: its id, its buttons


class TelegramAdapter:
    def __init__(self, conversation: Conversation):
        self.conversation = conversation
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._saving: set[asyncio.Task] = set()        # saves of answered updates still running

    def install(self, app: Application) -> None:
        only_messages = filters.UpdateType.MESSAGE
        for name, _description in Conversation.command_menu("en"):
            app.add_handler(CommandHandler(name, self._command(name), filters=only_messages))
        app.add_handler(MessageHandler(only_messages & filters.COMMAND, self._command("help")))
        app.add_handler(MessageHandler(only_messages & filters.TEXT, self.on_text))
        app.add_handler(MessageHandler(only_messages & ~filters.TEXT, self.on_other))
        app.add_handler(CallbackQueryHandler(self.on_press))
        app.add_error_handler(self.on_error)

    # ---- handlers -------------------------------------------------------
    def _command(self, name: str):
        async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            user, text = update.effective_user, update.effective_message.text or ""
            words = text.split(None, 1)
            rest = words[1] if len(words) > 1 else ""
            await self._answer(update, lambda: self.conversation.command(_merchant(user.id), name, rest, user.language_code))
        return handler

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user, message = update.effective_user, update.effective_message
        merchant, text = _merchant(user.id), message.text
        case_id = _case_of(message.reply_to_message)
        if case_id is not None:           # a reply to one of a case's messages: the buyer's answer
            await self._answer(update, lambda: self.conversation.buyer_answer(merchant, text, case_id, user.language_code),
                               write_behind=True)
        elif message.forward_origin is not None:     # forwarded from the buyer's chat
            await self._answer(update, lambda: self.conversation.buyer_answer(merchant, text, language_code=user.language_code),
                               write_behind=True)
        else:
            await self._answer(update, lambda: self.conversation.message(merchant, text, user.language_code), write_behind=True)

    async def deliver_reminders(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """JobQueue: claim the reminders that are due (in the store, so each goes out once, also after
        a restart or with a second process) and send each to its merchant's private chat."""
        try:
            due = await asyncio.to_thread(self.conversation.due_reminders, f"telegram:{id(self)}")
        except StoreError as exc:
            log.warning("reminders: %s", exc)
            return
        for merchant, reply in due:
            channel, user_id = split_merchant_key(merchant)
            if channel != "telegram":
                continue
            try:
                await self._send(int(user_id), [reply], None, context.bot)
            except TelegramError as exc:
                log.warning("a reminder to %s could not be sent: %s", user_id, exc)

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._answer(update, lambda: self.conversation.not_text(update.effective_user.language_code))

    async def on_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, user = update.callback_query, update.effective_user
        try:
            await query.answer()
        except TelegramError as exc:      # an expired query id must not cost the merchant the reply
            log.info("answerCallbackQuery failed: %s", exc)
        if not query.data:
            return
        await self._answer(update, lambda: self.conversation.press(_merchant(user.id), query.data, user.language_code),
                           pressed=query.message if isinstance(query.message, Message) else None, write_behind=True)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        if isinstance(error, StoreError):
            log.warning("settings store: %s", error)
        else:
            log.error("while handling an update", exc_info=error)
        if not isinstance(update, Update) or update.effective_chat is None or update.effective_user is None:
            return
        lc = update.effective_user.language_code
        replies = Conversation.try_again(lc) if isinstance(error, StoreError) else Conversation.went_wrong(lc)
        try:
            await self._send(update.effective_chat.id, replies, None, context.bot)
        except TelegramError as exc:
            log.warning("could not tell the merchant about the error: %s", exc)

    # ---- plumbing -------------------------------------------------------
    async def _answer(self, update: Update, call: Callable[[], list[Reply]], pressed: Message | None = None,
                      write_behind: bool = False) -> None:
        """The core's replies to the update, sent in order with the merchant's other updates (a
        per-merchant lock). With `write_behind` (descriptions, answers, presses: the answers a merchant
        waits on), what the update wrote is saved once the replies are out, in a task of its own that
        keeps the merchant's lock until then — the merchant's next update reads what this one wrote,
        other merchants go on. Commands save first: their answer says what was saved."""
        uid = update.effective_user.id
        lock = self._locks.get(uid)
        if lock is None:
            lock = self._locks[uid] = asyncio.Lock()
        chat_id, bot = update.effective_chat.id, update.get_bot()
        await lock.acquire()
        locked = True
        try:
            if not write_behind:
                await self._send(chat_id, call(), pressed, bot)
                return
            with self.conversation.store.write_behind() as held:
                replies = call()
            shown: list[_Shown] = []
            try:
                await self._send(chat_id, replies, pressed, bot, shown)
            except BaseException:
                await self._save(held, shown, update, bot)
                raise
            saving = asyncio.create_task(self._save_and_unlock(held, shown, update, bot, lock))
            self._saving.add(saving)
            saving.add_done_callback(self._saving.discard)
            locked = False
        finally:
            if locked:
                lock.release()

    async def _save_and_unlock(self, held: HeldWrites, shown: list[_Shown], update: Update, bot: Bot,
                               lock: asyncio.Lock) -> None:
        try:
            await self._save(held, shown, update, bot)
        except Exception:
            log.exception("while saving what an answered update wrote")
        finally:
            lock.release()

    async def settled(self, *_args) -> None:
        """Wait until what answered updates wrote is saved (tests, benchmarks, and PTB's post_stop hook so
        that nothing answered is lost at shutdown)."""
        while self._saving:
            await asyncio.gather(*list(self._saving), return_exceptions=True)

    async def _save(self, held: HeldWrites, shown: list[_Shown], update: Update, bot: Bot) -> None:
        """Save what the update wrote. If the database refuses it now, the answer already sent stands for
        nothing that was kept: its buttons (which would act on a case that is not there, or on the next
        case to get its number) are taken off, copy buttons left, and the merchant is told to try again."""
        try:
            held.save()
            return
        except StoreError as exc:
            log.warning("an answer was sent but what it changed could not be saved: %s", exc)
        for message_id, rows in shown:
            copy_only = [[b for b in row if b.copy_text is not None] for row in rows]
            data = {"chat_id": update.effective_chat.id, "message_id": message_id}
            markup = keyboard_json([row for row in copy_only if row])
            if markup:
                data["reply_markup"] = markup
            try:
                await bot._post("editMessageReplyMarkup", data)
            except TelegramError as exc:
                log.info("could not take the buttons off message %s: %s", message_id, exc)
        await self._send(update.effective_chat.id, Conversation.not_saved(update.effective_user.language_code), None, bot)

    async def _send(self, chat_id: int, replies: list[Reply], pressed: Message | None, bot: Bot,
                    shown: list[_Shown] | None = None) -> None:
        """Send (or put in place of the pressed message) each reply; in `shown`, the id and buttons of
        each message sent with buttons."""
        for reply in replies:
            parts = render(reply)
            if reply.replace and pressed is not None:
                if await self._edit(pressed, parts[0]):
                    if shown is not None and parts[0].buttons:
                        shown.append((pressed.message_id, parts[0].buttons))
                    parts = parts[1:]
                pressed = None          # one reply replaces the pressed message; the rest are new
            for part in parts:
                try:
                    sent = await _post(bot, "sendMessage", {"chat_id": chat_id}, part)
                except NetworkError as exc:
                    if isinstance(exc, BadRequest):
                        raise
                    # Retried where that was safe (bot.telegram.retry); what is left may or may not have
                    # arrived, so nothing more is sent (no second copy, no "went wrong" on top of it).
                    log.warning("a reply to chat %s may not have been delivered: %s", chat_id, exc)
                    return
                if shown is not None and part.buttons and isinstance(sent, dict) and "message_id" in sent:
                    shown.append((sent["message_id"], part.buttons))

    @staticmethod
    async def _edit(message: Message, part) -> bool:
        try:
            await _post(message.get_bot(), "editMessageText",
                        {"chat_id": message.chat_id, "message_id": message.message_id}, part)
            return True
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return True
            log.info("could not edit message %s, sending a new one: %s", message.message_id, exc)
            return False


async def _post(bot: Bot, method: str, target: dict, part) -> object:
    """A rendered part sent (sendMessage) or put in place of a message (editMessageText) through the
    bot's own request path — its rate limiter, retries and errors — but without reading Telegram's
    answer into python-telegram-bot objects: negobot uses only the message id of what it gets back (the
    Bot API's JSON), and building a Message of it (every button of the keyboard, every entity) cost 0.2–0.3 ms of each answer
    (benchmarks/round_trip_split.py). Bot._post is the step every Bot method ends in."""
    data = {**target, "text": part.html, "parse_mode": ParseMode.HTML}
    markup = part.markup_json                   # the keyboard as the Bot API's JSON (render.keyboard_json)
    if markup:
        data["reply_markup"] = markup
    return await bot._post(method, data)          # the Bot API's result as JSON (sendMessage: the message)


def _merchant(user_id: int) -> MerchantKey:
    return merchant_key("telegram", user_id)


def _case_of(message: Message | None) -> int | None:
    """The case a bot message belongs to, read from its buttons ("ba:12", "au:12:platform")."""
    markup = getattr(message, "reply_markup", None) if message is not None else None
    if markup is None or message.from_user is None or not message.from_user.is_bot:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            verb, _sep, rest = (button.callback_data or "").partition(":")
            case_id = rest.split(":", 1)[0]
            if verb not in ("ls", "lg", "sc") and case_id.isdigit() and int(case_id) > 0:
                return int(case_id)
    return None


__all__ = ["TelegramAdapter"]
