"""The Telegram transport of negobot: `negobot run`."""
