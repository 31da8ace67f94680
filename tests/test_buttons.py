"""Each feature owns its buttons: one flow letter each, declared once, built by its own module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bot.features  # noqa: F401  (every feature, so every flow is declared)
from bot.chat import callbacks
from bot.chat.callbacks import FLOWS, Flow

BOT = Path(__file__).resolve().parent.parent / "bot"
BUTTON_MODULES = sorted(BOT.glob("*/buttons.py"))


def test_every_flow_letter_belongs_to_one_feature():
    assert len(FLOWS) == len(set(FLOWS.values())) == 12
    assert FLOWS["t"] == "triage" and FLOWS["d"] == "diary" and FLOWS["m"] == "menu"


def test_a_second_feature_cannot_take_a_letter():
    with pytest.raises(ValueError, match="belongs to triage"):
        Flow("t", "tango")
    assert Flow("t", "triage") == "t"  # the owner may name it again


@pytest.mark.parametrize("path", BUTTON_MODULES, ids=lambda p: p.parent.name)
def test_a_buttons_module_builds_buttons_and_imports_nothing_else(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported <= {"__future__", "bot.chat.callbacks"}, imported


def test_no_feature_spells_out_another_features_button_data():
    """Button data is built by the owner's builders, never by retyping its flow letter."""
    for path in BOT.rglob("*.py"):
        if path.name == "buttons.py" or "sim" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for letter in FLOWS:
            assert f'encode("{letter}"' not in text, (path, letter)


def test_builders_make_data_the_codec_reads_back():
    from bot.diary import buttons as diary
    from bot.library import buttons as library
    from bot.triage import buttons as triage

    assert callbacks.decode(triage.start()) == callbacks.decode("1:t:-:start")
    pressed = callbacks.decode(triage.answer("legs", "weak", 7))
    assert (pressed.flow, pressed.seq, pressed.action, pressed.args) == (
        "t",
        7,
        "a",
        ("legs", "weak"),
    )
    assert callbacks.decode(diary.new(6)).args == ("6",)
    assert callbacks.decode(library.page("stenosis", 2)).args == ("stenosis", "2")
