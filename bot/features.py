"""Handler registration. Order matters: within group 0 the first matching handler wins,
so capabilities come first and the catch-all fallback last."""

from telegram.ext import Application

from bot import fallback
from bot.account import admin, privacy, settings, start
from bot.chat import router
from bot.diary import handlers as diary
from bot.library import handlers as library
from bot.library import stretch_handlers as stretches
from bot.programme import handlers as programme
from bot.reminders import checkin, delivery
from bot.reminders import handlers as reminders
from bot.timezone import handlers as timezone
from bot.triage import handlers as triage


def register_all(app: Application) -> None:
    fallback.register_guard(app)  # group -1: groups and channels stop here
    router.register(app)  # every press, routed by flow to what the capabilities register
    start.register(app)
    triage.register(app)
    diary.register(app)
    library.register(app)
    stretches.register(app)
    timezone.register(app)
    checkin.register(app)
    reminders.register(app)
    programme.register(app)
    settings.register(app)
    privacy.register(app)
    delivery.register(app)  # the repeating tick that sends check-ins and reminders
    admin.register(app)  # /stats for admins only; others fall through to the fallback
    fallback.register(app)  # last: typed input for flows, then friendly pointers
