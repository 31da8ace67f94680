"""The condition library and stretch routines: loading, validation and rendering (no telegram)."""

from bot.library.models import Library

__all__ = ["Library"]
