"""A local stand-in for the Telegram Bot API, for tests and the terminal chat."""
