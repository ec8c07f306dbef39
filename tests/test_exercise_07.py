"""exercise-07 end to end: Keras agreement, the toy corpus, the margin of the accuracy check, hidden cases and the
training diagnoses.

Every mutant's own check and words are in ``tests/mutants/exercise_07.toml``; ``test_every_exercise.py``
grades them all.
"""
from __future__ import annotations

import importlib.util

import numpy as np

from conftest import ROOT, TESTS, check, graded
from mutation import all_mutants

EX = "exercise-07"
REFERENCE = ROOT / "solutions" / "exercise_07_training.py"


def _reference():
    spec = importlib.util.spec_from_file_location("_reference_07", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reference_agrees_with_live_keras_sgd():
    report = graded(str(REFERENCE), EX, keras="live")
    assert report.full_marks, [c.message for c in report.checks if not c.passed]
    keras_diagnoses = [d for c in report.checks for d in c.diagnoses if d.against == "keras"]
    assert len(keras_diagnoses) == 16 and all(d.ok for d in keras_diagnoses)
    assert "SGD" in report.equivalent.library and "CPU" in report.equivalent.device


def test_reference_total_and_every_function_has_mistakes():
    report = graded(str(REFERENCE), EX)
    assert (report.score, len(report.checks)) == (17, 11)  # 16 + train_mean_loss
    names = [m.name for m in all_mutants(EX)]
    assert all(any(n.startswith(f) for n in names) for f in ("sgd_", "train_", "predict_")), names
    assert len(list((TESTS / "alternates" / "exercise_07").glob("*.py"))) >= 2


def test_the_corpus_is_seeded_balanced_and_labelled_by_word_order():
    from grader.datagen.sentiment import BAD, GOOD, corpus, describe, sentences

    tokens, labels = sentences(n=200, length=6, seed=5)
    again, _ = sentences(n=200, length=6, seed=5)
    assert np.array_equal(tokens, again) and not np.array_equal(tokens, sentences(n=200, length=6, seed=6)[0])
    assert labels.sum() == 100
    assert np.all((tokens == GOOD).sum(axis=1) == 1) and np.all((tokens == BAD).sum(axis=1) == 1)
    good_first = np.argmax(tokens == GOOD, axis=1) < np.argmax(tokens == BAD, axis=1)
    assert np.array_equal(good_first, labels == 1)  # a bag of words cannot tell the classes apart
    X, y = corpus(n=4, length=6, seed=5)
    assert X.shape == (4, 6, 6) and y.shape == (4, 2) and np.all(X.sum(axis=2) == 1)
    assert len(describe(tokens[0]).split()) == 6


def test_the_accuracy_target_has_a_margin_for_the_reference_and_other_seeds():
    from grader.specs.exercise_07 import CHECKS, TARGET

    ref, case = _reference(), next(c for c in CHECKS if c.name == "train_accuracy").case()
    a, p = case.arrays, case.params
    for seed in (0, 1, 2):
        params, losses = ref.train_rnn(a["X"], a["y"], p["units"], p["epochs"], p["lr"], p["clip_norm"], seed,
                                       p["batch_size"])
        accuracy = np.mean(ref.predict(a["X_test"], params) == a["y_test"].argmax(axis=1))
        assert accuracy >= TARGET + 0.05 and losses[-1] < losses[0] / 4, (seed, accuracy)


def test_hidden_cases_are_passed_by_the_reference():
    from grader.core import Options, grade
    from grader.specs import get_exercise

    report = grade(REFERENCE, get_exercise(EX), Options(hidden_secret=11))
    assert report.full_marks, [c.message for c in report.checks if not c.passed]


def test_the_reproducibility_diagnosis_tells_the_initial_weights_from_the_shuffling():
    from grader.explainers import explain_sentence
    from grader.model import Value
    from grader.specs.exercise_07 import CHECKS

    check_ = next(c for c in CHECKS if c.name == "train_reproducible")
    case = check_.case()

    def explain_repeat(case, got, expected):
        return explain_sentence(check_.explain, case, got, expected)

    def flat(data):
        return Value("array", "numpy.ndarray", dtype="float64", data=np.asarray(data, float))

    same = {"initial params (first run)": flat([1.0, 2.0]), "initial params (second run)": flat([1.0, 2.0])}
    assert "shuffling is not seeded" in explain_repeat(case, same, {})
    differ = {**same, "initial params (second run)": flat([1.0, 2.5])}
    assert "initial weights are not drawn from the seed" in explain_repeat(case, differ, {})


def test_grading_exercise_07_does_not_import_tensorflow():
    import subprocess
    import sys

    code = ("import sys\nfrom grader.core import grade\nfrom grader.specs import get_exercise\n"
            f"assert grade({str(REFERENCE)!r}, get_exercise({EX!r})).full_marks\n"
            "print([m for m in ('tensorflow', 'keras', 'sklearn') if m in sys.modules])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"
