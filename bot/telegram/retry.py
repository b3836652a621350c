"""PTB's AIORateLimiter, plus retries of requests that failed on the network — never a double send.

AIORateLimiter retries only RetryAfter (429). A request that fails with NetworkError or TimedOut
is retried here, with exponential backoff, when retrying cannot duplicate anything:

- **idempotent methods** (editing a message to a given text, answering a callback query, setting
  the command menu, getMe…) are retried after any network failure: sending them twice leaves the
  same state (an edit repeated is "message is not modified", which the adapter takes as done);
- **everything else** — sendMessage above all — is retried only when the failure proves that the
  request never left: the connection could not be opened (refused, unreachable, connect timeout)
  or no pooled connection came free in time (bot.telegram.request.NOT_SENT). A read timeout or
  a connection dropped after the request was written is ambiguous — Telegram may have delivered
  the message — so it is not retried: the merchant might otherwise see the same answer twice.

BadRequest (a subclass of NetworkError in PTB) is never retried: Telegram answered.
getUpdates never reaches a rate limiter; the Updater has its own retry loop for it.
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any, Callable, Coroutine

from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter

from bot.telegram.request import NOT_SENT

log = logging.getLogger("negobot.telegram")

IDEMPOTENT = frozenset({
    "getMe", "setMyCommands", "deleteMyCommands", "deleteWebhook", "setWebhook", "getWebhookInfo",
    "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery", "sendChatAction", "deleteMessage",
})
NETWORK_RETRIES = 5
FIRST_DELAY = 0.2           # seconds; doubled each time (0.2, 0.4, 0.8, 1.6, 3.2), with ±20% jitter
MAX_DELAY = 5.0


def never_sent(exc: BaseException) -> bool:
    """Whether a PTB NetworkError proves the request did not reach the server."""
    cause = exc.__cause__
    return isinstance(cause, NOT_SENT)


def safe_to_retry(endpoint: str, exc: BaseException) -> bool:
    if not isinstance(exc, NetworkError) or isinstance(exc, BadRequest):
        return False
    return endpoint in IDEMPOTENT or never_sent(exc)


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter (same arguments) that also retries network failures where that is safe."""

    def __init__(self, *args: Any, network_retries: int = NETWORK_RETRIES, first_delay: float = FIRST_DELAY,
                 **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.network_retries = network_retries
        self.first_delay = first_delay
        self.network_retried = 0        # how many times a request was sent again (for tests and logs)

    async def process_request(self, callback: Callable[..., Coroutine[Any, Any, Any]], args: Any,
                              kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
                              rate_limit_args: int | None) -> Any:
        delay = self.first_delay
        for attempt in range(self.network_retries + 1):
            try:        # each attempt goes through the rate limiter again
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except NetworkError as exc:
                if attempt == self.network_retries or not safe_to_retry(endpoint, exc):
                    raise
                wait = min(delay, MAX_DELAY) * random.uniform(0.8, 1.2)
                log.info("%s failed (%s); retrying in %.2f s (%d/%d)", endpoint, exc, wait, attempt + 1,
                         self.network_retries)
                self.network_retried += 1
                await asyncio.sleep(wait)
                delay *= 2
        raise AssertionError("unreachable")


__all__ = ["RetryingRateLimiter", "safe_to_retry", "never_sent", "IDEMPOTENT"]
