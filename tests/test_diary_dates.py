"""Dates, times and numbers come from Babel (CLDR): no language carries date words."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.content import load
from bot.diary.dates import DateWords
from bot.diary.queries import date_words

STRINGS = load().strings
MOMENT = datetime(2026, 3, 2, 17, 5, tzinfo=UTC)


def words(lang):
    return date_words(lambda key, **kw: STRINGS.t(lang, key, **kw))


def test_english_and_spanish_dates_times_and_numbers():
    en, es = words("en"), words("es")
    assert en.day(date(2026, 3, 2)) == "Mon, 2 Mar 2026"
    assert es.day(date(2026, 3, 2)) == "lun, 2 mar 2026"
    assert en.moment(MOMENT, ZoneInfo("Europe/Madrid")) == "Mon, 2 Mar 2026, 18:05"
    assert es.moment(MOMENT, ZoneInfo("Asia/Tokyo")) == "mar, 3 mar 2026, 2:05"
    assert (en.month(2026, 3), es.month(2026, 3)) == ("Mar 2026", "mar 2026")
    assert (en.number(6.5), es.number(6.5), es.number(6.04)) == ("6.5", "6,5", "6,0")


def test_a_new_language_needs_only_its_cldr_locale():
    french = DateWords.of("fr")
    assert french.day(date(2026, 3, 2)) == "lun. 2 mars 2026"
    assert french.number(6.5) == "6,5"
    assert DateWords.of("not a locale").day(date(2026, 3, 2)) == "Mon, 2 Mar 2026"


def test_no_locale_file_keeps_month_or_weekday_tables():
    for lang in STRINGS.languages:
        assert not any(key.startswith("diary.date.") for key in STRINGS.locales[lang])
        assert STRINGS.t(lang, "cldr_locale")
