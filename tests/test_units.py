"""Small pure pieces of the foundation: settings, callback codec, strings, Telegram HTML rules."""

from pathlib import Path

import pytest

from bot.chat import callbacks
from bot.chat.telegram_html import HtmlError, to_plain
from bot.config import ConfigError, Settings, load_settings
from bot.i18n import load_strings

TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwx"


def test_settings_defaults_and_repr_hide_the_token(tmp_path):
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN}, dotenv=None)
    assert settings.api_base_url == "https://api.telegram.org/bot"
    assert settings.tick_seconds == 30 and settings.log_level == "INFO"
    assert TOKEN not in repr(settings) and TOKEN not in str(settings)
    assert isinstance(settings, Settings)


def test_settings_parse_admins_and_dotenv(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text('# comment\nexport BACKCARE_ADMIN_IDS="1, 22"\nBACKCARE_TICK_SECONDS=5\n')
    settings = load_settings({}, dotenv=env_file)
    assert settings.admin_ids == {1, 22} and settings.tick_seconds == 5
    env_file.write_text("not a setting\n")
    with pytest.raises(ConfigError, match="line 1"):
        load_settings({}, dotenv=env_file)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("http://localhost:8081/bot", True),  # a local Bot API server
        ("https://proxy.example.org/telegram/bot{token}/test", True),
        ("https://api.telegram.org/", False),  # …/123:ABC/getMe: Telegram answers 404
        ("https://api.telegram.org", False),  # the token would run into the host name
        ("https://api.telegram.org/bot/", False),
    ],
)
def test_the_api_base_url_must_end_where_the_token_goes(url, ok):
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": url}
    if ok:
        assert load_settings(env, dotenv=None).api_base_url == url
    else:
        with pytest.raises(ConfigError, match="must end in /bot"):
            load_settings(env, dotenv=None)


def test_reading_commands_do_not_need_a_writable_database_directory(tmp_path, monkeypatch):
    monkeypatch.setattr("os.access", lambda path, mode: False)  # as on a read-only mount
    env = {"BACKCARE_DB": str(tmp_path / "x.db")}
    with pytest.raises(ConfigError, match="is not writable"):
        load_settings(env, dotenv=None)
    assert load_settings(env, writable_db=False, dotenv=None).db_path == env["BACKCARE_DB"]


def test_callback_codec_round_trip_and_limits():
    data = callbacks.encode("t", "a", "q_where", "buttock", seq=12)
    press = callbacks.decode(data)
    assert (press.flow, press.seq, press.action, press.args) == (
        "t",
        12,
        "a",
        ("q_where", "buttock"),
    )
    assert callbacks.decode(callbacks.encode("m", "open")).seq is None
    with pytest.raises(ValueError):
        callbacks.encode("t", "a", "x" * 70)
    for bad in ("has space", "line\n", ""):
        for _ in range(2):  # a refused part stays refused: only good parts are remembered
            with pytest.raises(ValueError):
                callbacks.encode("t", "a", bad)
    assert callbacks.encode("x", "a", 1, seq=3) != callbacks.encode("x", "a", True, seq=3)
    with pytest.raises(ValueError):  # every part a slug, but too long together
        callbacks.encode("t", "a", "y" * 30, "z" * 30, seq=12)
    for junk in (None, "", "2:t:1:a", "1:t", "1:t:x:a", "1:t:1:a:<b>", "1:t:1:a:" + "9" * 60):
        with pytest.raises(callbacks.Expired):
            callbacks.decode(junk)
    with pytest.raises(callbacks.Expired):
        callbacks.decode(callbacks.encode("d", "e", "abc")).int_arg(0)


def test_strings_report_missing_keys_and_placeholder_mismatch(tmp_path):
    (tmp_path / "en.yaml").write_text("a:\n  hello: Hello {name}\n  bye: Bye\n")
    (tmp_path / "es.yaml").write_text("a:\n  hello: Hola {nombre}\n  extra: sobra\n")
    strings, problems = load_strings(tmp_path)
    messages = [str(p) for p in problems]
    assert any("a.bye" in m and "missing" in m for m in messages)
    assert any("a.extra" in m and "not in en" in m for m in messages)
    assert any("a.hello" in m and "placeholders" in m for m in messages)
    assert strings.pick_language("es-MX") == "es"
    assert strings.pick_language("fr") == "en"
    assert strings.t("es", "a.bye") == "Bye"  # falls back to English at run time


def test_shipped_strings_are_clean():
    root = Path(__file__).resolve().parent.parent / "content" / "locales"
    _, problems = load_strings(root)
    assert problems == []


@pytest.mark.parametrize(
    ("html", "plain"),
    [
        ("<b>Hi</b> &amp; bye", "Hi & bye"),
        ('<a href="https://x.org">x</a>', "x"),
        ("1 &lt; 2", "1 < 2"),
    ],
)
def test_telegram_html_accepts_what_telegram_accepts(html, plain):
    assert to_plain(html) == plain


@pytest.mark.parametrize(
    "html", ["<div>x</div>", "<b>x", "x</b>", "a < b", "a & b", "<br/>", "<b><i>x</b></i>"]
)
def test_telegram_html_refuses_what_telegram_refuses(html):
    with pytest.raises(HtmlError):
        to_plain(html)


def test_a_repeated_key_in_a_locale_is_reported(tmp_path):
    (tmp_path / "en.yaml").write_text("a:\n  hello: Hello\n  hello: Hi again\n")
    _, problems = load_strings(tmp_path)
    assert any("duplicate key 'hello'" in str(p) for p in problems)


def shown_message(text: str, markup: dict):
    """A message as Telegram sends it back, parsed by python-telegram-bot."""
    from telegram import Bot, Message

    chat = {"id": 5, "type": "private"}
    data = {"message_id": 1, "date": 0, "chat": chat, "text": text, "reply_markup": markup}
    return Message.de_json(data, Bot("1:x"))


def test_keyboard_serialises_its_pairs_and_matches_what_telegram_sends_back():
    from bot.chat.turn import keyboard, unchanged

    rows = [[("Yes", "1:t:3:a:y"), ("No", "1:t:3:a:n")], [("Menu", "1:m:-:open")]]
    markup = keyboard(rows)
    wire = {
        "inline_keyboard": [
            [
                {"text": "Yes", "callback_data": "1:t:3:a:y"},
                {"text": "No", "callback_data": "1:t:3:a:n"},
            ],
            [{"text": "Menu", "callback_data": "1:m:-:open"}],
        ]
    }
    assert markup.to_dict() == wire
    assert [[b.text for b in row] for row in markup.inline_keyboard] == [["Yes", "No"], ["Menu"]]
    assert markup == keyboard(rows) and markup != keyboard(rows[:1])
    shown = shown_message("Pain: 5", wire)
    assert unchanged(shown, "Pain: <b>5</b>", markup)
    assert not unchanged(shown, "Pain: <b>6</b>", markup)
    assert not unchanged(shown, "Pain: <b>5</b>", keyboard(rows[:1]))
    assert not unchanged(shown, "Pain: <b>5</b>", None)


def test_the_same_buttons_in_other_rows_are_a_change():
    from bot.chat.turn import keyboard, unchanged

    one_row = [{"text": "A", "callback_data": "1:a"}, {"text": "B", "callback_data": "1:b"}]
    shown = shown_message("Hi", {"inline_keyboard": [one_row]})
    assert unchanged(shown, "Hi", keyboard([[("A", "1:a"), ("B", "1:b")]]))
    assert not unchanged(shown, "Hi", keyboard([[("A", "1:a")], [("B", "1:b")]]))
