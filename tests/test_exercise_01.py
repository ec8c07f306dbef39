"""exercise-01 end to end: reference, alternates, mistakes told apart and the forged float, through the sandbox.

Every mutant's own check and words are in ``tests/mutants/exercise_01.toml``; ``test_every_exercise.py``
grades them all.
"""
from __future__ import annotations

from pathlib import Path

from conftest import ROOT, TESTS, check, graded
from mutation import all_mutants

EX = "exercise-01"
REFERENCE = ROOT / "solutions" / "exercise_01_word_vectors.py"
ALTERNATES = TESTS / "alternates" / "exercise_01"
COSINE_VALUE_CHECKS = ("cosine_basic", "cosine_lists", "cosine_scale", "cosine_norms", "cosine_sign", "cosine_zero")


def test_reference_agrees_with_live_sklearn_and_keras():
    report = graded(str(REFERENCE), EX, keras="live")
    assert report.full_marks, [c.message for c in report.checks if not c.passed]
    independent = [d for c in report.checks for d in c.diagnoses if d.against == "keras"]
    assert len(independent) >= 15 and all(d.ok for d in independent)
    assert "scikit-learn" in report.equivalent.library and "Keras 3" in report.equivalent.library


def test_at_least_two_alternates_and_every_mistake_is_covered():
    assert len(list(ALTERNATES.glob("*.py"))) >= 2
    assert {m.name for m in all_mutants(EX)} >= {"cosine_abs", "most_similar_includes_self", "analogy_reversed_offset",
                                                 "forged_float"}


def test_forged_float_gets_no_marks_for_any_cosine_value(mutants):
    report = graded(mutants(EX)["forged_float"], EX)
    for name in COSINE_VALUE_CHECKS:
        result = check(report, name)
        assert not result.passed and result.points == 0, name
        assert "ForgedFloat" in result.message and "does not accept" in result.message, result.message


def test_mistakes_are_told_apart_on_the_checks_that_target_them(mutants):
    path = mutants(EX)
    assert check(graded(path["cosine_abs"], EX), "cosine_basic").passed  # positive cosines are right
    assert check(graded(path["cosine_zero_nan"], EX), "cosine_basic").passed
    assert check(graded(path["most_similar_fixed_five"], EX), "most_similar_default").passed
    only_c = check(graded(path["analogy_only_c_excluded"], EX), "analogy_people")
    assert "offset is reversed" not in only_c.message
    reversed_offset = check(graded(path["analogy_reversed_offset"], EX), "analogy_people")
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
