"""Validation of content/: the shipped library passes; every kind of mistake is reported."""

import shutil
from pathlib import Path

import pytest
import yaml

from bot import content
from bot.cli import main
from bot.library.models import CONDITION_IDS, CONDITION_SECTIONS, REQUIRED_PAGES
from bot.paths import content_dir

FIXTURE = Path(__file__).parent / "fixtures" / "broken_content"


def test_shipped_content_has_no_problems():
    loaded, problems = content.check()
    assert problems == []
    library = loaded.library
    assert set(REQUIRED_PAGES) <= set(library.page_ids())
    for page_id in CONDITION_IDS:
        page = library.page(page_id, "en")
        assert page.kind == "condition"
        assert tuple(s.id for s in page.sections) == CONDITION_SECTIONS
        assert page.sources and page.stretches
    assert len(library.exercises) >= 12
    assert len(library.routines) >= 5


@pytest.fixture
def broken(tmp_path):
    """The broken fixture next to the real locales, plus a Spanish locale."""
    shutil.copytree(FIXTURE, tmp_path, dirs_exist_ok=True)
    shutil.copytree(content_dir() / "locales", tmp_path / "locales")
    shutil.copy(tmp_path / "locales" / "en.yaml", tmp_path / "locales" / "es.yaml")
    return tmp_path


EXPECTED = [
    # files and front matter
    ("conditions/notes.txt", "", "not a <id>[.<lang>].md file"),
    ("conditions/rheumatoid.md", "line 1", "must start with front matter"),
    ("conditions/spondylolisthesis.md", "line 4", "not valid YAML"),
    ("stretches/extra.yaml", "line 5", "duplicate key 'title'"),
    ("conditions/nonspecific.md", "front matter.autor", "unknown field"),
    ("conditions/inflammatory.md", "front matter.id", "must match the file name"),
    ("conditions/occupational.md", "front matter.kind", "must be condition"),
    ("conditions/treatments.md", "", "missing (required page)"),
    # sections
    ("conditions/nonspecific.md", "sections", "missing how_it_feels"),
    ("conditions/occupational.md", "line 8", "text before the first ## section"),
    ("conditions/occupational.md", "line 10", "section coffee_breaks has no heading"),
    # references
    ("conditions/osteoarthritis.md", "front matter.stretches", "no routine 'yoga_flow'"),
    ("conditions/osteoarthritis.md", "front matter.sources", "no source 'made_up'"),
    ("conditions/stenosis.md", "front matter.stretches", "to avoid with stenosis"),
    ("conditions/stenosis.md", "front matter.stretches", "suits do not list stenosis"),
    ("stretches/routines.yaml", "routines[ghostly]", "no exercise 'levitation'"),
    ("stretches/routines.yaml", "routines[ghostly]", "exercise repeated"),
    ("stretches/routines.yaml", "routines[early_strength].level", "plank is avoided with acute"),
    ("stretches/exercises.yaml", "exercises[pelvic_tilt].sources", "no 'ghost_source'"),
    ("stretches/exercises.yaml", "exercises[lonely]", "not used by any routine"),
    # schema of exercises and sources
    ("sources.yaml", "sources[nhs_back_pain]", "id used twice"),
    ("sources.yaml", "sources[insecure].url", "should match pattern"),
    ("stretches/exercises.yaml", "exercises[pelvic_tilt]", "id used twice"),
    ("stretches/exercises.yaml", "exercises[wobble].dose", "not both"),
    ("stretches/exercises.yaml", "exercises[wobble].suits[1]", "Input should be"),
    ("stretches/exercises.yaml", "exercises[wobble].avoid_if[0]", "Input should be"),
    ("stretches/exercises.yaml", "exercises[floaty].colour", "unknown field"),
    # HTML and screen size
    ("conditions/strain.md", "line 9: what_it_is paragraph 1", 'Unsupported start tag "div"'),
    ("conditions/strain.md", "line 13: why_it_happens paragraph 1", "end tag"),
    ("conditions/strain.md", "line 17: how_it_feels paragraph 1", 'Unescaped "&"'),
    ("conditions/strain.md", "line 21: what_helps paragraph 1", "<tg-spoiler> is not allowed"),
    ("stretches/exercises.yaml", "exercises[pelvic_tilt].steps[1]", "<span> is not allowed"),
    ("conditions/sciatica.md", "screen 2", "over the 1200 a screen may hold"),
    # languages
    ("conditions/stenosis.es.md", "", "locales/es.yaml exists"),
    ("conditions/stenosis.fr.md", "", "no locales/fr.yaml"),
    ("conditions/strain.es.md", "sections", "differ from English"),
    ("stretches/exercises.es.yaml", "exercises[back_arch]", "missing in es"),
    ("stretches/exercises.es.yaml", "exercises[moonwalk]", "not in the English file"),
    ("stretches/exercises.es.yaml", "exercises[pelvic_tilt].steps", "3 steps, English has 2"),
    ("stretches/routines.es.yaml", "", "missing: locales/es.yaml exists"),
]


def test_every_kind_of_problem_is_reported_with_file_and_place(broken):
    _, problems = content.check(broken)
    found = [(p.file, p.where, p.message) for p in problems]
    for file, where, fragment in EXPECTED:
        assert any(f == file and w == where and fragment in m for f, w, m in found), (
            file,
            where,
            fragment,
        )
    with pytest.raises(content.ContentError) as raised:
        content.load(broken)
    assert len(raised.value.problems) == len(problems)


def test_content_check_prints_every_problem_and_exits_1(broken, capsys):
    assert main(["content", "check", "--dir", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "conditions/treatments.md: missing (required page)" in out
    assert "stretches/routines.es.yaml: missing" in out
    assert len(out.splitlines()) >= len(EXPECTED)


def test_content_words_lists_every_page_routine_and_lesson(capsys):
    assert main(["content", "words"]) == 0
    out = capsys.readouterr().out
    loaded = content.load()
    for page_id in loaded.library.page_ids():
        assert f"page     {page_id} " in out
    for routine_id in loaded.library.routines:
        assert f"routine  {routine_id} " in out
    for lesson in loaded.programme.lessons:
        assert f"lesson   {lesson.id} " in out
    assert f"{len(loaded.programme.lessons)} lessons, " in out


def _translate_everything(root: Path, lang: str) -> None:
    """A complete (if English-worded) translation, marked so a test can tell it apart."""
    shutil.copy(root / "locales" / "en.yaml", root / "locales" / f"{lang}.yaml")
    for page in (root / "conditions").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        words = {"id": meta["id"], "title": f"{meta['title']} [{lang}]", "summary": meta["summary"]}
        target = page.with_name(f"{page.stem}.{lang}.md")
        target.write_text(f"---\n{yaml.safe_dump(words)}---\n{body}", encoding="utf-8")
    for name, fields in (("exercises", ("title", "steps", "feel", "stop")), ("routines", ())):
        data = yaml.safe_load((root / "stretches" / f"{name}.yaml").read_text(encoding="utf-8"))
        keep = ("id", "title", "summary", *fields)
        items = [{k: v for k, v in item.items() if k in keep} for item in data[name]]
        out = root / "stretches" / f"{name}.{lang}.yaml"
        out.write_text(yaml.safe_dump({name: items}, allow_unicode=True), encoding="utf-8")
    lessons = yaml.safe_load((root / "programme" / "lessons.yaml").read_text(encoding="utf-8"))
    keep = ("id", "title", "body", "question", "choices", "explain")
    items = [{k: v for k, v in item.items() if k in keep} for item in lessons["lessons"]]
    out = root / "programme" / f"lessons.{lang}.yaml"
    out.write_text(yaml.safe_dump({"lessons": items}, allow_unicode=True), encoding="utf-8")
    phrases = root / "safety" / "red_flag_phrases.yaml"  # Spanish's stand in for the new ones
    data = yaml.safe_load(phrases.read_text(encoding="utf-8"))
    data[lang] = data.pop("es")
    phrases.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_complete_second_language_passes_and_is_served(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    for spanish in [*root.rglob("*.es.*"), root / "locales" / "es.yaml"]:
        spanish.unlink(missing_ok=True)  # only English and the made-up language
    _translate_everything(root, "xx")
    loaded, problems = content.check(root)
    assert problems == []
    library = loaded.library
    assert library.page("stenosis", "xx").title == "Lumbar spinal stenosis [xx]"
    assert library.page("stenosis", "en").title == "Lumbar spinal stenosis"
    assert library.page("stenosis", "xx").stretches == library.page("stenosis", "en").stretches
    # then one page and one exercise go missing
    (root / "conditions" / "sciatica.xx.md").unlink()
    exercises = root / "stretches" / "exercises.xx.yaml"
    data = yaml.safe_load(exercises.read_text(encoding="utf-8"))
    data["exercises"] = [e for e in data["exercises"] if e["id"] != "bridge"]
    exercises.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, problems = content.check(root)
    assert sorted(str(p) for p in problems) == [
        "conditions/sciatica.xx.md: missing: locales/xx.yaml exists, so every page needs it",
        "stretches/exercises.xx.yaml: exercises[bridge]: missing in xx",
    ]
