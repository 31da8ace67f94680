"""Every locale has every key with the same placeholders; `backcare content check` says when not."""

import shutil

import pytest
import yaml

from bot import content as content_module
from bot.cli import main
from bot.i18n import Strings, flatten, placeholders, tags
from bot.paths import content_dir


@pytest.fixture
def copy(tmp_path):
    """A writable copy of the real content directory."""
    target = tmp_path / "content"
    shutil.copytree(content_dir(), target)
    return target


def edit_locale(root, lang, change):
    path = root / "locales" / f"{lang}.yaml"
    tree = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(tree)
    path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")


def test_shipped_locales_are_complete_and_match():
    content = content_module.load()
    strings = content.strings
    assert strings.languages == ["en", "es"]
    english, spanish = strings.locales["en"], strings.locales["es"]
    assert english.keys() == spanish.keys()
    for key, text in english.items():
        assert placeholders(spanish[key]) == placeholders(text), key
    assert spanish["language_name"] == "Español"


def test_real_content_passes_the_check(capsys):
    assert main(["content", "check"]) == 0
    assert "content OK" in capsys.readouterr().out


def test_missing_key_extra_key_and_placeholder_mismatch_are_all_reported(copy, capsys):
    def break_spanish(tree):
        del tree["common"]["expired"]
        tree["common"]["expird"] = "Este botón ya no es válido."
        tree["emergency"]["call_number"] = "llama ahora al {numero}"
        tree["menu"]["title"] = ["not", "a", "string"]

    edit_locale(copy, "es", break_spanish)
    assert main(["content", "check", "--dir", str(copy)]) == 1
    out = capsys.readouterr().out
    assert "locales/es.yaml: common.expired: missing (present in en)" in out
    assert "locales/es.yaml: common.expird: not in en" in out
    assert "locales/es.yaml: emergency.call_number: placeholders ['numero'] differ" in out
    assert "locales/es.yaml: menu.title: must be a string" in out


def test_a_key_missing_from_english_and_a_bare_yes_no_key_are_reported(copy):
    (copy / "locales" / "en.yaml").write_text(
        (copy / "locales" / "en.yaml").read_text(encoding="utf-8")
        + "\nextra:\n  on: yes\n  broken: 'a {brace'\n",
        encoding="utf-8",
    )
    _, problems = content_module.check(copy)
    messages = {(p.file, p.where, p.message.split(" (")[0]) for p in problems}
    assert ("locales/en.yaml", "extra.True", "key must be text") in messages
    assert ("locales/en.yaml", "extra.broken", "malformed {placeholder}") in messages
    assert ("locales/es.yaml", "extra.broken", "missing") in messages


def test_unreadable_locale_is_reported(copy):
    (copy / "locales" / "es.yaml").write_text("menu: [unclosed\n", encoding="utf-8")
    _, problems = content_module.check(copy)
    assert any(p.file == "locales/es.yaml" and "not valid YAML" in p.message for p in problems)


def test_translation_with_other_html_tags_is_reported(copy):
    def unbalance(tree):
        tree["privacy"]["forget_second"] = "<b>¿Seguro? Plazo: {backup_days} días."

    edit_locale(copy, "es", unbalance)
    _, problems = content_module.check(copy)
    assert [(p.where, p.message) for p in problems] == [
        ("privacy.forget_second", "HTML tags differ from en")
    ]


def test_flatten_and_tags():
    assert flatten({"a": {"b": "x", "c": {"d": "y"}}}) == {"a.b": "x", "a.c.d": "y"}
    assert tags('<b>Hi</b> <a href="x">y</a>') == ["</a", "</b", "<a", "<b"]


def test_a_string_missing_from_a_translation_falls_back_to_english():
    strings = Strings({"en": {"a": "Hello {name}", "b": "Bye"}, "es": {"a": "Hola {name}"}})
    assert strings.t("es", "a", name="Ana") == "Hola Ana"
    assert strings.t("es", "b") == "Bye"
    assert strings.t("xx", "b") == "Bye"  # an unknown language reads English
    with pytest.raises(KeyError):
        strings.t("es", "missing")
