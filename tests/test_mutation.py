"""The mutant mechanism (``tests/mutation.py``): edits apply exactly, stale ones fail loudly, the data is checked."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import graded
from grader.specs import all_exercises, get_exercise
from mutation import (Edit, Mutant, StaleEdit, all_mutants, file_mutants, get_mutant, load_mutants,
                      materialise_all, undescribed_files)

EXERCISES = all_exercises()
REFERENCE = "def f(x):\n    y = x + 1\n    return y\n\n\ndef g(x):\n    y = x + 1\n    return 2 * y\n"


def synthetic(tmp_path: Path, toml: str, files: dict[str, str] | None = None) -> Path:
    """A mutants folder holding ``exercise_99.toml`` and whole files ``exercise_99/<name>.py``."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "exercise_99.toml").write_text(toml, encoding="utf-8")
    for name, text in (files or {}).items():
        (tmp_path / "exercise_99").mkdir(exist_ok=True)
        (tmp_path / "exercise_99" / f"{name}.py").write_text(text, encoding="utf-8")
    return tmp_path


ENTRY = '''
[[mutant]]
name = "{name}"
check = "c"
words = "w"
[[mutant.edit]]
old = "{old}"
new = "y = x - 1"
'''
FILE_ENTRY = '[[file]]\nname = "{name}"\ncheck = "c"\nwords = "w"\n'
REWRITE = "def f(x):\n    return 0\n"


def synthetic_mutant(name: str, *edits: Edit) -> Mutant:
    return Mutant(exercise="exercise-99", name=name, check="c", words="w", edits=edits)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_every_edit_of_every_exercise_applies_and_gives_valid_python(exercise):
    reference = exercise.reference.read_text(encoding="utf-8")
    for mutant in load_mutants(exercise.id):
        source = mutant.source(reference)  # raises StaleEdit if the reference moved under an edit
        assert source != reference and source != mutant.base_source(reference), mutant.name
        ast.parse(source, filename=f"{mutant.name}.py")


def test_a_stale_edit_raises_and_names_the_mutant():
    gone = synthetic_mutant("renamed", Edit("z = x + 1", "z = x - 1"))
    with pytest.raises(StaleEdit, match=r"exercise-99/renamed: 'z = x \+ 1' occurs 0 time\(s\)"):
        gone.source(REFERENCE)
    twice = synthetic_mutant("ambiguous", Edit("y = x + 1", "y = x - 1"))
    with pytest.raises(StaleEdit, match="occurs 2 time"):  # count defaults to 1: an ambiguous edit is stale
        twice.source(REFERENCE)
    with pytest.raises(StaleEdit):
        Edit("y = x + 1", "", count=2, occurrence=3).apply(REFERENCE)


def test_count_and_occurrence_choose_which_copy_is_replaced():
    first = Edit("y = x + 1", "y = x - 1", count=2, occurrence=1).apply(REFERENCE)
    second = Edit("y = x + 1", "y = x - 1", count=2, occurrence=2).apply(REFERENCE)
    assert first.split("def g")[0].count("x - 1") == 1 and "x - 1" not in first.split("def g")[1]
    assert "x - 1" not in second.split("def g")[0] and second.split("def g")[1].count("x - 1") == 1
    later = synthetic_mutant("in_order", Edit("return y", "return -y"),
                             Edit("y = x + 1", "y = 0", count=2, occurrence=2))
    assert later.source(REFERENCE) == REFERENCE.replace("return y", "return -y").replace(
        "    y = x + 1\n    return 2", "    y = 0\n    return 2")  # edits apply in order


def test_toml_entries_load_with_their_fields_and_bases(tmp_path):
    folder = synthetic(tmp_path, '''
[base.other_start]
[[base.other_start.edit]]
old = "return 2 * y"
new = "return y + y"

[[mutant]]
name = "minus"
check = "c"
words = "w"
fails = ["d"]
also = [{ check = "e", words = "v" }]
zero_ok = true
changes = ["backward.U"]
when = "always"
base = "other_start"
[[mutant.edit]]
old = "y = x + 1"
new = "y = x - 1"
count = 2
occurrence = 2
''')
    (mutant,) = load_mutants("exercise-99", mutants_dir=folder)
    assert mutant.expectations == (("c", "w"), ("e", "v")) and mutant.fails == ("d",) and mutant.zero_ok
    assert mutant.changes == ("backward.U",) and mutant.when == "always"
    assert mutant.base_source(REFERENCE) == REFERENCE.replace("return 2 * y", "return y + y")
    assert mutant.source(REFERENCE).endswith("    y = x - 1\n    return y + y\n")


@pytest.mark.parametrize("toml, error", [
    (ENTRY.format(name="a", old="y = x") + ENTRY.format(name="a", old="return y"), "names used twice: \\['a'\\]"),
    (ENTRY.format(name="a", old="y = x").replace('words = "w"', 'word = "w"'), "unknown key\\(s\\) \\['word'\\]"),
    (ENTRY.format(name="a", old="y = x").replace('check = "c"\n', ""), "missing \\['check'\\]"),
    ('[[mutant]]\nname = "a"\ncheck = "c"\nwords = "w"\n', "needs at least one"),
    (ENTRY.format(name="a", old="y").replace('words = "w"', 'words = "w"\nbase = "nowhere"'), "unknown base 'nowhere'"),
    (ENTRY.format(name="a", old="y").replace('words = "w"', 'words = "w"\nalso = [{ check = "d" }]'),
     "each `also` item"),
    (ENTRY.format(name="a", old="y = x").replace('new = "y = x - 1"', 'neww = "y"'), "it needs old and new"),
    ('[[mutants]]\nname = "a"\n', "unknown table"),
])
def test_bad_data_is_refused_with_the_reason(tmp_path, toml, error):
    folder = synthetic(tmp_path, toml)
    with pytest.raises(ValueError, match=error):
        load_mutants("exercise-99", mutants_dir=folder)


def test_whole_files_need_an_entry_and_entries_need_a_file(tmp_path):
    folder = synthetic(tmp_path, FILE_ENTRY.format(name="rewrite"), {"rewrite": REWRITE, "loose": "x = 1\n"})
    (rewrite,) = file_mutants("exercise-99", mutants_dir=folder)
    assert rewrite.source(REFERENCE) == REWRITE and rewrite.expectations == (("c", "w"),)
    assert [p.name for p in undescribed_files("exercise-99", mutants_dir=folder)] == ["loose.py"]
    (folder / "exercise_99" / "rewrite.py").unlink()
    with pytest.raises(ValueError, match="'rewrite' has no file"):
        file_mutants("exercise-99", mutants_dir=folder)


def test_an_edit_and_a_whole_file_may_not_share_a_name(tmp_path):
    folder = synthetic(tmp_path, ENTRY.format(name="same", old="return y") + FILE_ENTRY.format(name="same"),
                       {"same": REWRITE})
    with pytest.raises(ValueError, match="used twice"):
        all_mutants("exercise-99", mutants_dir=folder)


def test_materialise_all_writes_edits_and_whole_files(tmp_path):
    reference = tmp_path / "reference.py"
    reference.write_text(REFERENCE, encoding="utf-8")
    toml = ENTRY.format(name="minus", old="return y") + FILE_ENTRY.format(name="rewrite")
    folder = synthetic(tmp_path / "mutants", toml, {"rewrite": REWRITE})
    paths = materialise_all("exercise-99", tmp_path / "out", reference=reference, mutants_dir=folder)
    assert list(paths) == ["minus", "rewrite"] and all(p.parent == tmp_path / "out" for p in paths.values())
    assert paths["minus"].read_text() == REFERENCE.replace("return y", "y = x - 1", 1)
    assert paths["rewrite"].read_text() == REWRITE
    with pytest.raises(KeyError, match="has no mutant 'plus'"):
        get_mutant("exercise-99", "plus", mutants_dir=folder)


def test_the_real_mutants_materialise_under_their_names(tmp_path):
    paths = materialise_all("exercise-03", tmp_path)
    assert {p.stem for p in paths.values()} == set(paths) == {m.name for m in all_mutants("exercise-03")}
    assert "o = self.V @ ht\n" in paths["missing_c"].read_text()


@pytest.mark.parametrize("exercise, base", sorted({(m.exercise, m.base) for e in EXERCISES for m in load_mutants(e.id)
                                                   if m.base}))
def test_every_base_is_a_correct_solution(tmp_path, exercise, base):
    """A base is the correct code its mistakes are made on: alone, it must earn full marks."""
    mutant = next(m for m in load_mutants(exercise) if m.base == base)
    path = tmp_path / f"{base}.py"
    path.write_text(mutant.base_source(get_exercise(exercise).reference.read_text(encoding="utf-8")), encoding="utf-8")
    report = graded(str(path), exercise)
    assert report.full_marks, [c.message for c in report.checks if not c.passed]
