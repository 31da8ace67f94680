"""Handler registration. Order matters: within group 0 the first matching handler wins,
so capabilities come first and the catch-all fallback last."""

from telegram.ext import Application

from bot import delivery
from bot.handlers import (
    admin,
    buttons,
    checkin,
    diary,
    fallback,
    library,
    privacy,
    reminders,
    settings,
    start,
    stretches,
    timezone,
    triage,
)


def register_all(app: Application) -> None:
    fallback.register_guard(app)  # group -1: groups and channels stop here
    buttons.register(app)  # every press, routed by flow to what the capabilities register
    start.register(app)
    triage.register(app)
    diary.register(app)
    library.register(app)
    stretches.register(app)
    timezone.register(app)
    checkin.register(app)
    reminders.register(app)
    settings.register(app)
    privacy.register(app)
    delivery.register(app)  # the repeating tick that sends check-ins and reminders
    admin.register(app)  # /stats for admins only; others fall through to the fallback
    fallback.register(app)  # last: typed input for flows, then friendly pointers
