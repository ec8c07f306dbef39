"""exercise-02 end to end: reference, Keras grid, generated files, alternates and mistakes through the sandbox.

Every mutant's own check and words are in ``tests/mutants/exercise_02.toml``; ``test_every_exercise.py``
grades them all.
"""
from __future__ import annotations

import itertools
from pathlib import Path

from conftest import ROOT, TESTS, check, graded
from mutation import all_mutants

EX = "exercise-02"
REFERENCE = str(ROOT / "solutions" / "exercise_02_embeddings.py")
ALTERNATES = TESTS / "alternates" / "exercise_02"

MATRIX_CHECKS = ("matrix_rows", "matrix_num_words", "matrix_dtype")


def test_reference_agrees_with_live_keras():
    report = graded(REFERENCE, EX, keras="live")
    assert report.full_marks, [c.message for c in report.checks if not c.passed]
    keras = {(c.name, d.field) for c in report.checks for d in c.diagnoses if d.against == "keras"}
    assert all(d.ok for c in report.checks for d in c.diagnoses if d.against == "keras")
    assert {name for name, _ in keras} == {*MATRIX_CHECKS, "pad_defaults", "pad_dtype", "pad_pre_pre", "pad_pre_post",
                                           "pad_post_pre", "pad_post_post"}
    assert len(keras) == 3 + 2 + 4 * 5 and "CPU" in report.equivalent.device


def test_keras_covers_every_combination_of_padding_truncating_maxlen_and_value():
    from grader.specs import get_exercise

    grid = [c.case().params for c in get_exercise(EX).checks if c.probe == "pad_grid"]
    combos = {(p["padding"], p["truncating"], m, v) for p in grid for m in p["maxlens"] for v in p["values"]}
    maxlens = {m for p in grid for m in p["maxlens"]}
    assert None in maxlens and len(maxlens - {None}) >= 3 and min(maxlens - {None}) == 1
    assert combos == set(itertools.product(("pre", "post"), ("pre", "post"), maxlens, (0, -1, 7)))


def test_generated_files_have_the_awkward_parts():
    from grader.specs import get_exercise

    cases = {c.name: c.case() for c in get_exercise(EX).checks if c.probe.startswith("load")}
    text = {name: b"".join(case.files.values()).decode("utf-8") for name, case in cases.items()}
    for word in (",", ".", "'s", "café", "北京", "1.5", "-1.2e-05"):
        assert f"\n{word} " in text["load_values"] or f" {word}" in text["load_values"], word
    assert "北京" not in text["load_utf8"] and "über" in text["load_utf8"]
    assert "\n\n" in text["load_blank_lines"] and text["load_blank_lines"].endswith("\n\n")
    assert text["load_duplicate"].count("\ncafé ") == 2
    assert "\r\n" in text["load_whitespace"] and "\t" in text["load_whitespace"]
    assert len(set(cases[n].params["file"] for n in cases)) == len(cases)  # every check's files share one directory


def test_at_least_two_alternates_and_every_function_has_mistakes():
    assert len(list(ALTERNATES.glob("*.py"))) >= 2
    names = [m.name for m in all_mutants(EX)]
    assert all(sum(n.startswith(f) for n in names) >= 5 for f in ("load_", "matrix_", "pad_")), names


def test_a_mistake_in_one_function_keeps_the_others_points(mutants):
    for name, prefix in (("load_first_duplicate_wins", "load_"), ("matrix_float64", "matrix_"), ("pad_int64", "pad_")):
        report = graded(mutants(EX)[name], EX)
        assert all(c.passed for c in report.checks if not c.name.startswith(prefix)), name


def test_forged_count_gets_no_marks_for_the_matrix(mutants):
    report = graded(mutants(EX)["forged_count"], EX)
    assert all(check(report, name).points == 0 for name in MATRIX_CHECKS)


def test_hidden_cases_pass_for_the_reference():
    from grader.core import Options, grade
    from grader.specs import get_exercise

    report = grade(Path(REFERENCE), get_exercise(EX), Options(hidden_secret=20261127))
    assert report.full_marks, [c.message for c in report.checks if not c.passed]


def test_reference_total_is_19_points():
    assert graded(REFERENCE, EX).score == 19
