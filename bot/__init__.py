"""BackCare: a Telegram bot for people whose back hurts."""

__version__ = "0.1.0"
