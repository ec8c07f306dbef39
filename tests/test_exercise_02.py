"""exercise-02 end to end: reference, stub, alternates and realistic mistakes through the sandbox."""
from __future__ import annotations

import itertools

import pytest

from conftest import ROOT, TESTS, check, full_text, graded

EX = "exercise-02"
REFERENCE = str(ROOT / "solutions" / "exercise_02_embeddings.py")
MUTANTS = TESTS / "mutants" / "exercise_02"
ALTERNATES = TESTS / "alternates" / "exercise_02"

# mutant file -> (a check that must fail, words its diagnosis must contain)
MISTAKES = {
    "load_values_str": ("load_values", "The values are still strings"),
    "load_float64": ("load_values", "The vectors are float64"),
    "load_slice_drop_last": ("load_values", "the last value of every line is dropped (values[1:-1])"),
    "load_slice_from_2": ("load_values", "the first value of every line is dropped (values[2:])"),
    "load_latin1": ("load_values", "[0] is 'cafÃ©', but should be 'café'. Words such as 'café' and '北京' must come "
                                   "through intact: open the file with encoding='utf-8'"),
    "load_ascii_ignore": ("load_utf8", "it has 0 items, but should have 3. Words such as 'café'"),
    "load_crash_on_blank": ("load_blank_lines", "skip blank lines"),
    "load_first_duplicate_wins": ("load_duplicate", "a repeated word keeps its first vector: the later line must win"),
    "load_ragged_accepted": ("load_ragged_long", "it is 'returns normally', but should be 'raises ValueError'"),
    "load_line_number_skips_blanks": ("load_ragged_short", "blank lines included"),
    "matrix_rows_shifted": ("matrix_rows", "the vector of index i is written to row i - 1"),
    "matrix_index_error": ("matrix_num_words", "IndexError: index 8 is out of bounds"),
    "matrix_oov_random": ("matrix_rows", "must stay all zeros: start from np.zeros"),
    "matrix_wrong_count": ("matrix_num_words", "filled counts every word that has a vector, even those with an index "
                                               ">= num_words"),
    "matrix_float64": ("matrix_dtype", "has dtype float64, but it should be float32"),
    "pad_post_for_pre": ("pad_defaults", "padding is applied at the wrong end"),
    "pad_truncate_wrong_end": ("pad_pre_pre", "truncation happens at the wrong end"),
    "pad_value_ignored": ("pad_post_post", "value is ignored: the padding positions must hold value"),
    "pad_int64": ("pad_dtype", "has dtype int64, but it should be int32"),
    "pad_no_valueerror": ("pad_bad_truncating", "ValueError was expected, but it returned normally"),
    "forged_count": ("matrix_rows", "subclass of int), which the grader does not accept"),
}
# where a mistake's diagnosis must also name the fix (check, words)
ALSO = {
    "load_ascii_ignore": ("load_utf8", "without errors='ignore'"),
    "load_crash_on_blank": ("load_blank_lines", "IndexError"),
    "load_line_number_skips_blanks": ("load_ragged_short", "your message was 'line 17: expected 5 values, found 4'"),
    "matrix_index_error": ("matrix_num_words", "fill row i only when i < num_words"),
    "pad_no_valueerror": ("pad_bad_padding", "ValueError was expected, but it returned normally"),
}
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


def test_at_least_two_alternates_and_every_mutant_is_covered():
    assert len(list(ALTERNATES.glob("*.py"))) >= 2
    assert {p.stem for p in MUTANTS.glob("*.py")} == set(MISTAKES)


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_realistic_mistake_loses_points_with_its_diagnosis(name):
    report = graded(str(MUTANTS / f"{name}.py"), EX)
    assert 0 < report.score < report.max_score
    for failing, words in (MISTAKES[name], ALSO.get(name, MISTAKES[name])):
        result = check(report, failing)
        assert not result.passed and result.points == 0
        assert words in full_text(result), full_text(result)


def test_a_mistake_in_one_function_keeps_the_others_points():
    for name, prefix in (("load_first_duplicate_wins", "load_"), ("matrix_float64", "matrix_"), ("pad_int64", "pad_")):
        report = graded(str(MUTANTS / f"{name}.py"), EX)
        assert all(c.passed for c in report.checks if not c.name.startswith(prefix)), name


def test_forged_count_gets_no_marks_for_the_matrix():
    report = graded(str(MUTANTS / "forged_count.py"), EX)
    assert all(check(report, name).points == 0 for name in MATRIX_CHECKS)


def test_hidden_cases_pass_for_the_reference():
    from pathlib import Path

    from grader.core import Options, grade
    from grader.specs import get_exercise

    report = grade(Path(REFERENCE), get_exercise(EX), Options(hidden_secret=20261127))
    assert report.full_marks, [c.message for c in report.checks if not c.passed]


def test_reference_total_is_19_points():
    assert graded(REFERENCE, EX).score == 19
