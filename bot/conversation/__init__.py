"""The conversation core: what to answer, which buttons to offer, what to ask next.

Used by `negobot chat` and the Telegram adapter alike; it speaks in Reply objects, never in
transport calls.
"""
