"""The red-flag matcher and its phrases file (content/safety/red_flag_phrases.yaml)."""

from __future__ import annotations

import shutil

import pytest

from bot import content
from bot.cli import main
from bot.paths import content_dir
from bot.problems import ContentError
from bot.safety.red_flags import FILE, normalise


@pytest.fixture(scope="module")
def flags():
    return content.load().red_flags


POSITIVE = [
    # English: bladder and bowels
    ("help I can't control my bladder and my legs are numb", "bladder_bowel"),
    ("I cant control my bladder", "bladder_bowel"),
    ("I cannot control my bowels", "bladder_bowel"),
    ("lost control of my bladder this morning", "bladder_bowel"),
    ("no bowel control since yesterday", "bladder_bowel"),
    ("my blader control is gone", "bladder_bowel"),  # misspelt
    ("I wet myself on the way to work", "bladder_bowel"),
    ("soiled myself last night", "bladder_bowel"),
    ("I can’t pee", "bladder_bowel"),  # a curly apostrophe
    ("cant feel when I need to pee", "bladder_bowel"),
    ("i think im incontinent now", "bladder_bowel"),
    # numbness between the legs, sex
    ("numb between my legs", "saddle_numbness"),
    ("Numbness around my bottom", "saddle_numbness"),
    ("tingling in my genitals", "saddle_numbness"),
    ("saddle numbness", "saddle_numbness"),
    ("my inner thighs feel numb", "saddle_numbness"),
    ("I can't feel it when I wipe", "saddle_numbness"),
    ("numb during sex since the pain started", "sexual_function"),
    ("can't get an erection since my back went", "sexual_function"),
    # legs
    ("both legs are numb", "both_legs"),
    ("my legs are weak", "both_legs"),
    ("my legs keep giving way", "both_legs"),
    ("legs getting weaker every day", "both_legs"),
    ("pins and needles in both legs", "both_legs"),
    ("legs gave way and I fell", "both_legs"),
    ("my feet are numb", "both_legs"),
    ("my leg gives way on the stairs", "one_leg"),  # one leg: a doctor today, not 999
    ("my right leg is getting weaker", "one_leg"),
    ("I keep dragging my foot", "one_leg"),
    ("I'm dragging my left leg", "one_leg"),
    ("I can't walk to the toilet", "cant_walk"),  # not a goal: a warning sign
    ("I can't walk around the house", "cant_walk"),
    ("I can't walk down the stairs", "cant_walk"),
    ("can't walk in a straight line", "cant_walk"),
    ("no puedo andar hasta el baño", "cant_walk"),
    ("my legs give way", "both_legs"),
    ("I can't walk", "cant_walk"),
    ("I can't walk without help", "cant_walk"),
    ("can't walk today", "cant_walk"),
    ("I CANNOT stand up", "cant_walk"),
    ("can barely walk today", "cant_walk"),
    # injury and emergencies that look like back pain
    ("I was in a car crash", "serious_injury"),
    ("fell off a ladder", "serious_injury"),
    ("I fell from a height at work", "serious_injury"),
    ("got hit by a car", "serious_injury"),
    ("got rear-ended on the motorway", "serious_injury"),
    ("chest pain and back pain", "chest_pain"),
    ("my chest feels tight", "chest_pain"),
    ("a tearing pain between my shoulder blades", "tearing_pain"),
    ("I can't breathe properly", "breathing"),
    ("I'm breathless", "breathing"),
    ("I fainted this morning", "fainting"),
    ("coughing up blood", "coughing_blood"),
    # thoughts of suicide or self-harm
    ("I want to kill myself", "self_harm"),
    ("I've been feeling suicidal", "self_harm"),
    ("I don't want to live anymore", "self_harm"),
    ("I want to die", "self_harm"),
    # Spanish
    ("ayuda no controlo la vejiga y tengo las piernas dormidas", "bladder_bowel"),
    ("ayuda no controlo la vejiga y tengo las piernas dormidas", "both_legs"),
    ("no controlo la vejíga", "bladder_bowel"),  # a stray accent
    ("NO PUEDO CONTROLAR LA ORINA", "bladder_bowel"),
    ("perdí el control de los esfínteres", "bladder_bowel"),
    ("se me escapa la orina", "bladder_bowel"),
    ("me hice pis encima", "bladder_bowel"),
    ("no puedo orinar", "bladder_bowel"),
    ("no siento cuando tengo ganas de orinar", "bladder_bowel"),
    ("tengo adormecida la zona entre las piernas", "saddle_numbness"),
    ("hormigueo en los genitales", "saddle_numbness"),
    ("no siento el culo", "saddle_numbness"),
    ("tengo las dos piernas débiles", "both_legs"),
    ("se me doblan las piernas", "both_legs"),
    ("las piernas cada vez más débiles", "both_legs"),
    ("he perdido fuerza en las piernas", "both_legs"),
    ("no puedo caminar", "cant_walk"),
    ("se me adormecen las dos piernas", "both_legs"),
    ("se me debilitan las piernas", "both_legs"),
    ("caminar sin que se me duerman las piernas", "both_legs"),
    ("se me duerme la zona entre las piernas", "saddle_numbness"),
    ("tengo adormecida la zona del ano", "saddle_numbness"),
    ("no puedo controlar el esfínter", "bladder_bowel"),
    ("se me dobla la pierna al bajar escaleras", "one_leg"),
    ("arrastro el pie al caminar", "one_leg"),
    ("no me puedo poner de pie", "cant_walk"),
    ("tuve un accidente de coche", "serious_injury"),
    ("me caí de una escalera", "serious_injury"),
    ("dolor en el pecho", "chest_pain"),
    ("dolor desgarrador en la espalda", "tearing_pain"),
    ("no puedo respirar", "breathing"),
    ("me desmayé esta mañana", "fainting"),
    ("toso sangre", "coughing_blood"),
    ("quiero morirme", "self_harm"),
    ("pienso en suicidarme", "self_harm"),
]

NEGATIVE = [
    "my back hurts",
    "sore legs after gym",
    "I walked today",
    "dolor de espalda",
    "me duele la espalda",
    "my lower back is stiff this morning",
    "I hurt myself lifting a box",
    "pain down my left leg to the knee",
    "tingling in the bottom of my foot",
    "can't sleep because of the pain",
    "I can't walk far without stopping",
    "I can't walk to the shops",  # what the plan asks for: things the pain makes hard
    "can't walk the kids to school",
    "I can't walk more than 10 minutes",
    "I can't walk without pain",
    "no puedo caminar hasta la tienda",
    "my knee gave way at football",
    "I can't stand this pain",
    "my legs are tired after the walk",
    "I can't come to my appointment",
    "a faint ache in my hip",
    "my disc collapsed years ago",
    "my step number went up",
    "I can control my bladder fine",
    "08:30",
    "Madrid",
    "no puedo dormir por el dolor",
    "me hice daño levantando una caja",
    "tengo un desgarro muscular",
    "camino una hora cada día",
    "no puedo caminar mucho sin parar",
    "me duelen las piernas después del gimnasio",
    "tengo hormigueo desde hace un año",
    "me corté el pelo",
    "the pain is killing me",
    "me muero de dolor",
    "no aguanto el dolor",
    "tengo la pierna dormida",
    "numb toes on my right foot",
    "",
    "🙂👍",
]


@pytest.mark.parametrize(("text", "group"), POSITIVE)
def test_red_flag_phrases_are_caught_in_either_language(flags, text, group):
    for lang in ("en", "es"):  # whatever language the person set
        assert group in [hit.group for hit in flags.match(text, lang)], (text, lang)


@pytest.mark.parametrize("text", NEGATIVE)
def test_everyday_back_pain_is_not_an_emergency(flags, text):
    assert flags.match(text, "en") == []


def test_the_table_is_big_enough():
    assert len({text for text, _ in POSITIVE}) >= 40 and len(NEGATIVE) >= 20


def test_hits_are_worded_in_the_persons_language_each_once(flags):
    hits = flags.match("no controlo la vejiga, no controlo la vejiga", "es")
    assert [(h.group, h.reason, h.advice) for h in hits] == [
        ("bladder_bowel", "safety.reason.bladder_bowel", "safety.advice.urgent")
    ]
    (crisis,) = flags.match("I want to kill myself", "es")
    assert crisis.advice == "safety.advice.crisis"


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("Can’t  feel my VEJÍGA!!", "cant feel my vejiga"),
        ("I cannot", "i cant"),
        ("i can not walk", "i cant walk"),
        ("can't\nwalk", "cant walk"),
        ("can´t", "cant"),
        ("Ñandú", "nandu"),
    ],
)
def test_normalise(typed, plain):
    assert normalise(typed) == plain


# --- the file is checked at start-up --------------------------------------------
GOOD_GROUP = """  back:
    reason: safety.reason.cant_walk
    patterns:
      - cant walk
"""


@pytest.fixture
def root(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(content_dir(), target)
    return target


def write_phrases(root, text: str) -> None:
    (root / FILE).write_text(text, encoding="utf-8")


def problems_of(root) -> list[str]:
    _, problems = content.check(root)
    return sorted(str(p) for p in problems)


def test_the_shipped_phrases_are_valid():
    loaded, problems = content.check()
    assert problems == []
    assert set(loaded.red_flags.by_language) == {"en", "es"}


def test_a_broken_phrases_file_reports_every_problem(root):
    write_phrases(
        root,
        "en:\n"
        + GOOD_GROUP
        + """  legs:
    reason: safety.reason.nope
    advice: common.menu_button
    colour: red
    patterns:
      - (unclosed
      - cant walk
      - (maybe)?
      - ... legs
      - 12
es:
"""
        + GOOD_GROUP.replace("cant walk", "no puedo caminar"),
    )
    assert problems_of(root) == [
        f"{FILE}: en.legs.advice: common.menu_button in locales/en.yaml lacks {{emergency}}",
        f"{FILE}: en.legs.advice: common.menu_button in locales/es.yaml lacks {{emergency}}",
        f"{FILE}: en.legs.colour: unknown field",
        f"{FILE}: en.legs.patterns[1]: not a valid pattern: "
        "missing ), unterminated subpattern at position 0",
        f"{FILE}: en.legs.patterns[2]: duplicate of en.back.patterns[1]",
        f"{FILE}: en.legs.patterns[3]: matches empty text, so it would match everything",
        f"{FILE}: en.legs.patterns[4]: ... belongs between two words",
        f"{FILE}: en.legs.patterns[5]: must be text (quote it if it starts with a symbol)",
        f"{FILE}: en.legs.reason: safety.reason.nope is not in locales/en.yaml",
        f"{FILE}: en.legs.reason: safety.reason.nope is not in locales/es.yaml",
        f"{FILE}: es.legs: group missing in this language",
    ]


def test_a_repeated_key_or_a_missing_language_is_refused(root):
    write_phrases(root, "en:\n" + GOOD_GROUP + GOOD_GROUP + "es:\n" + GOOD_GROUP)
    (problem,) = problems_of(root)
    assert problem.startswith(f"{FILE}: line 6: not valid YAML")
    assert "duplicate key 'back'" in problem
    write_phrases(root, "en:\n" + GOOD_GROUP + "fr:\n" + GOOD_GROUP)
    assert problems_of(root) == [
        f"{FILE}: es: missing: every language needs its groups",
        f"{FILE}: fr: not a language of locales/ ['en', 'es']",
    ]
    (root / FILE).unlink()
    assert problems_of(root) == [f"{FILE}: missing"]


def test_a_bad_phrases_file_stops_start_up_and_the_check_command(root, capsys):
    write_phrases(
        root, "en:\n" + GOOD_GROUP.replace("cant walk", "(cant walk") + "es:\n" + GOOD_GROUP
    )
    with pytest.raises(ContentError) as raised:
        content.load(root)
    assert [p.where for p in raised.value.problems] == ["en.back.patterns[1]"]
    assert main(["content", "check", "--dir", str(root)]) == 1
    assert f"{FILE}: en.back.patterns[1]: not a valid pattern" in capsys.readouterr().out


def test_patterns_may_be_written_with_capitals_accents_and_apostrophes(root):
    group = GOOD_GROUP.replace("cant walk", "Can’t (Walk|stand) ... \\S*")
    write_phrases(root, "en:\n" + group + "es:\n" + GOOD_GROUP.replace("cant walk", "Vejíga"))
    loaded, problems = content.check(root)
    assert problems == []
    for typed in ("I CANNOT walk at all", "cant stand up", "no controlo la vejiga"):
        assert [hit.group for hit in loaded.red_flags.match(typed, "en")] == ["back"], typed
    assert loaded.red_flags.match("I can walk", "en") == []
