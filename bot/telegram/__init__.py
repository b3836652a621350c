"""The Telegram transport of negobot: `negobot run`."""

import os

# Opt in now to PTB's time periods as datetime.timedelta (PTB 22.2+, the default in its next major
# version). Without it every RetryAfter (429) that PTB builds warns that `retry_after` will become
# a timedelta — the rate limiter already reads it as one, and negobot reads no time period as a
# number — so opting in is the fix rather than a filter on the warning.
os.environ.setdefault("PTB_TIMEDELTA", "true")
