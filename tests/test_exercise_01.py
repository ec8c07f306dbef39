"""exercise-01 end to end: reference, stub, alternates, realistic mistakes and the forged float, through the sandbox."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, TESTS, check, full_text, graded

EX = "exercise-01"
REFERENCE = ROOT / "solutions" / "exercise_01_word_vectors.py"
MUTANTS = TESTS / "mutants" / "exercise_01"
ALTERNATES = TESTS / "alternates" / "exercise_01"
COSINE_VALUE_CHECKS = ("cosine_basic", "cosine_lists", "cosine_scale", "cosine_norms", "cosine_sign", "cosine_zero")

# mutant file -> (a check that must fail, words its diagnosis must contain)
MISTAKES = {
    "cosine_not_normalised": ("cosine_scale", "returns the dot product a·b without dividing by |a||b|"),
    "cosine_norm_a_twice": ("cosine_norms", "divided by |a||a| instead of |a||b|"),
    "cosine_zero_nan": ("cosine_zero", "0/0 = NaN: return 0.0 instead"),
    "cosine_abs": ("cosine_sign", "the sign is lost"),
    "most_similar_includes_self": ("most_similar_default", "The word itself must never be in the list"),
    "most_similar_ascending": ("most_similar_default", "not an ascending sort"),
    "most_similar_fixed_five": ("most_similar_topn", "use the topn argument rather than a fixed number"),
    "most_similar_topn_plus_one": ("most_similar_default", "it is 6, but should be 5"),
    "analogy_reversed_offset": ("analogy_people", "the offset is reversed"),
    "analogy_only_c_excluded": ("analogy_places_verbs", "exclude all three of a, b and c"),
    "forged_float": ("cosine_basic", "(it is a subclass of float), which the grader does not accept"),
}


def test_reference_agrees_with_live_sklearn_and_keras():
    report = graded(str(REFERENCE), EX, keras="live")
    assert report.full_marks, [c.message for c in report.checks if not c.passed]
    independent = [d for c in report.checks for d in c.diagnoses if d.against == "keras"]
    assert len(independent) >= 15 and all(d.ok for d in independent)
    assert "scikit-learn" in report.equivalent.library and "Keras 3" in report.equivalent.library


def test_at_least_two_alternates_and_every_mistake_is_covered():
    assert len(list(ALTERNATES.glob("*.py"))) >= 2
    assert {p.stem for p in MUTANTS.glob("*.py")} == set(MISTAKES)


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_realistic_mistake_loses_points_with_its_diagnosis(name):
    failing, words = MISTAKES[name]
    report = graded(str(MUTANTS / f"{name}.py"), EX)
    assert 0 < report.score < report.max_score
    result = check(report, failing)
    assert not result.passed and result.points == 0
    assert words in full_text(result), full_text(result)


def test_forged_float_gets_no_marks_for_any_cosine_value():
    report = graded(str(MUTANTS / "forged_float.py"), EX)
    for name in COSINE_VALUE_CHECKS:
        result = check(report, name)
        assert not result.passed and result.points == 0, name
        assert "ForgedFloat" in result.message and "does not accept" in result.message, result.message


def test_mistakes_are_told_apart_on_the_checks_that_target_them():
    assert check(graded(str(MUTANTS / "cosine_abs.py"), EX), "cosine_basic").passed  # positive cosines are right
    assert check(graded(str(MUTANTS / "cosine_zero_nan.py"), EX), "cosine_basic").passed
    assert check(graded(str(MUTANTS / "most_similar_fixed_five.py"), EX), "most_similar_default").passed
    only_c = check(graded(str(MUTANTS / "analogy_only_c_excluded.py"), EX), "analogy_people")
    assert "offset is reversed" not in only_c.message
    reversed_offset = check(graded(str(MUTANTS / "analogy_reversed_offset.py"), EX), "analogy_people")
    assert "exclude all three" not in reversed_offset.message


def _variant(tmp_path: Path, name: str, *replacements: tuple[str, str]) -> str:
    source = REFERENCE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new)
    path = tmp_path / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    return str(path)


def test_numpy_float_scores_are_accepted(tmp_path):
    path = _variant(tmp_path, "numpy_floats",
                    ("return float(np.clip(_unit_rows(u) @ _unit_rows(v), -1.0, 1.0))",
                     "return np.float32(np.clip(_unit_rows(u) @ _unit_rows(v), -1.0, 1.0))"),
                    ("return 0.0", "return np.float64(0.0)"),
                    ("return [(words[i], float(scores[i])) for i in order]",
                     "return [(words[i], np.float32(scores[i])) for i in order]"))
    report = graded(path, EX)
    assert report.full_marks, [c.message for c in report.checks if not c.passed]


def test_wrong_return_types_are_named(tmp_path):
    path = _variant(tmp_path, "wrong_types",
                    ("return 0.0", "return 0"),
                    ("return [(words[i], float(scores[i])) for i in order]",
                     "return [[words[i], float(scores[i])] for i in order]"),
                    ("return words[int(np.argmax(scores))]", "return np.array(words)[int(np.argmax(scores))]"))
    report = graded(path, EX)
    assert "but it is a int" in check(report, "cosine_zero").message
    assert "must be a tuple (word, score)" in check(report, "most_similar_default").message
    assert "return the word as a plain str" in check(report, "analogy_people").message
    assert check(report, "cosine_basic").passed


def test_popping_the_word_from_embedding_map_is_reported(tmp_path):
    path = _variant(tmp_path, "pops",
                    ("target = _as_vector(embedding_map[word], word)\n    words, scores = _scores(target, embedding_map, {word})",
                     "target = _as_vector(embedding_map.pop(word), word)\n    words, scores = _scores(target, embedding_map, set())"))
    result = check(graded(path, EX), "most_similar_default")
    assert not result.passed and "modified embedding_map in place" in result.message
