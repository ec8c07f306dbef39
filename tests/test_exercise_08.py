"""exercise-08 (the chapter's Keras models) end to end, and the per-exercise child limits it needs.

Every mutant's own check and words are in ``tests/mutants/exercise_08.toml``; ``test_every_exercise.py``
grades them all.
"""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT
from grader.core import Options, _limits
from grader.spec import ChildLimits
from grader.specs import all_exercises, get_exercise


def test_the_child_gets_the_exercise_limits_unless_options_override_them():
    exercise = get_exercise("exercise-03")
    own = exercise.limits
    limits = _limits(exercise, Options())
    assert (limits.timeout_s, limits.memory_mb, limits.total_s) == (own.timeout_s, own.memory_mb, own.total_s)
    limits = _limits(exercise, Options(timeout_s=1.5, memory_mb=700))
    assert (limits.timeout_s, limits.memory_mb, limits.total_s) == (1.5, 700, own.total_s)
    assert (exercise.timeout_s, exercise.memory_mb) == (own.timeout_s, own.memory_mb)


def test_grade_list_shows_each_exercise_limits():
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "list"], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    for exercise in all_exercises():
        line = next(line for line in lines if line.startswith(exercise.id))
        assert exercise.limits.describe() in line
    assert ChildLimits(timeout_s=60, memory_mb=8192, tensorflow=True).describe() == \
        "60 s per check, 8192 MiB, 120 s in all, with TensorFlow"


# ---- exercise-08 -------------------------------------------------------------------------------

import textwrap  # noqa: E402
from pathlib import Path  # noqa: E402
from types import SimpleNamespace  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from conftest import check, graded  # noqa: E402
from grader.keys.build import expected_outcomes  # noqa: E402
from grader.equivalents.store import read_store  # noqa: E402
from grader.evaluate import error_sentence  # noqa: E402
from grader.model import StudentError  # noqa: E402
from grader.sandbox.child import load_module  # noqa: E402
from grader.sandbox.codec import run_in_process  # noqa: E402
from grader.spec import hidden_checks  # noqa: E402
from grader.explainers_keras import layer_config, layer_types, layer_weights  # noqa: E402
from grader.specs.hints_text import hints_for  # noqa: E402

EX = "exercise-08"
EXERCISE = get_exercise(EX)
PROBES = load_module("_test_probes_08", str(EXERCISE.probes))


def test_only_exercise_08_needs_tensorflow_and_grade_list_says_so():
    assert [e.id for e in all_exercises() if e.limits.tensorflow] == [EX]
    own, default = EXERCISE.limits, ChildLimits()
    assert own.timeout_s > default.timeout_s and own.memory_mb > default.memory_mb and own.total_s > default.total_s
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "list"], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    line = next(line for line in proc.stdout.splitlines() if line.startswith(EX))
    assert "with TensorFlow" in line and f"{own.memory_mb} MiB" in line


def test_grading_every_other_exercise_never_imports_tensorflow():
    """The everyday grade (every exercise whose module does not import Keras) stays free of TensorFlow."""
    code = textwrap.dedent("""
        import sys
        from grader.core import grade, Options
        from grader.specs import all_exercises
        for exercise in all_exercises():
            if not exercise.limits.tensorflow:
                assert grade(exercise.reference, exercise, Options()).full_marks, exercise.id
        print(sorted(m for m in ("tensorflow", "keras", "sklearn") if m in sys.modules))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True,
                         timeout=300).stdout
    assert out.strip() == "[]"


def test_reference_report_is_clean_and_within_the_limits():
    report = graded(str(EXERCISE.reference), EX)
    assert report.full_marks and report.notes == ()  # TensorFlow's start-up notices are silenced in the child
    assert 0 < report.peak_child_rss_kib < EXERCISE.limits.memory_mb * 1024
    assert "float64" in report.equivalent.library and report.equivalent.source == "stored"


def test_the_chapter_input_length_error_of_keras_3_0_is_a_sentence():
    """Keras 3.0 raises for input_length (later versions warn; the rnn_keras3 mutant covers that)."""
    error = StudentError("ValueError", "Unrecognized keyword arguments passed to Embedding: {'input_length': 200}",
                         bases=("ValueError", "Exception"), where="line 12, in build_sentiment_rnn")
    text = error_sentence(error, EXERCISE.error_hints)
    assert "Keras 3 no longer accepts input_length" in text and 'keras.Input(shape=(seq_len,), dtype="int32")' in text
    assert "input_length" in EXERCISE.stub.read_text() and "keras.Input(shape=(seq_len,)" in EXERCISE.stub.read_text()


# ---- an independent NumPy forward pass confirms the stored Keras values ------------------------

def _conv1d_relu(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray) -> np.ndarray:
    k = kernel.shape[0]
    windows = np.stack([x[:, j:x.shape[1] - k + 1 + j, :] for j in range(k)], axis=2)  # [b, L', k, c]
    return np.maximum(np.einsum("blkc,kcf->blf", windows, kernel) + bias, 0.0)


def _numpy_forward(case) -> np.ndarray:
    w = [np.asarray(case.arrays[f"w{k:02d}"], np.float64) for k in range(case.params["n_weights"])]
    h = w[0][case.arrays["x"]]
    if case.params["builder"] == "build_text_cnn":
        for k, (kernel, bias) in enumerate(((w[1], w[2]), (w[3], w[4]), (w[5], w[6]))):
            h = _conv1d_relu(h, kernel, bias)
            if k < 2:
                steps = h.shape[1] // 5
                h = h[:, :steps * 5].reshape(h.shape[0], steps, 5, -1).max(axis=2)
        h = np.maximum(h.max(axis=1) @ w[7] + w[8], 0.0)
        z = h @ w[9] + w[10]
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    for kernel, recurrent, bias in ((w[1], w[2], w[3]), (w[4], w[5], w[6])):
        state, states = np.zeros((h.shape[0], kernel.shape[1])), []
        for t in range(h.shape[1]):
            state = np.tanh(h[:, t] @ kernel + state @ recurrent + bias)
            states.append(state)
        h = np.stack(states, axis=1)
    h = np.maximum(h[:, -1] @ w[7] + w[8], 0.0)
    return 1.0 / (1.0 + np.exp(-(h @ w[9] + w[10])))


def test_stored_keras_equivalents_agree_with_a_numpy_forward_pass():
    stored, _ = read_store(EXERCISE)
    forward = [c for c in EXERCISE.checks if c.equivalent_fields]
    assert [c.name for c in forward] == ["cnn_forward", "rnn_forward"]
    for c in forward:
        mine = _numpy_forward(c.case())
        np.testing.assert_allclose(stored[c.name]["probs"], mine, rtol=1e-9, atol=1e-12, err_msg=c.name)
        assert mine.std() > 1e-3  # the weights keep the outputs apart (nothing saturates)


def test_hidden_cases_change_the_sizes_and_the_reference_passes_them():
    hidden = hidden_checks(EXERCISE, 20261203)
    assert {c.name for c in hidden} >= {"cnn_forward-hidden", "rnn_config-hidden"}
    assert not {"cnn_layers-hidden", "rnn_keras3-hidden"} & {c.name for c in hidden}  # same inputs every time
    cases = [c.case() for c in hidden]
    sizes = {(c.params.get("seq_len"), c.params.get("n_classes", c.params.get("units"))) for c in cases}
    assert len(sizes) > 2
    outcomes = expected_outcomes(EXERCISE, hidden, cases)
    assert all(o.status == "ok" for o in outcomes.values()), {k: o.error for k, o in outcomes.items()}


def test_every_check_has_a_graded_series_of_hints():
    for c in EXERCISE.checks:
        hints = hints_for(EXERCISE, c.name)
        assert len(hints) >= 2 and len(set(hints)) == len(hints), c.name


# ---- the probes and the sentences on stand-in models (no TensorFlow needed) --------------------

class _Layer:
    def __init__(self, weights: tuple = (), activation: str | None = None, **config) -> None:
        self._config, self._weights, self.trainable = config, [np.zeros(s) for s in weights], True
        if activation is not None:
            self.activation = SimpleNamespace(__name__=activation)
            config["activation"] = activation

    def get_config(self) -> dict:
        return {"name": "x", **self._config}

    def get_weights(self) -> list:
        return self._weights


def _layer(kind: str, **config) -> _Layer:
    return type(kind, (_Layer,), {})(**config)


class _Model:
    def __init__(self, layers: list, *, out: np.ndarray | None = None) -> None:
        self.layers, self.built, self.compiled, self._out = layers, True, False, out

    def get_weights(self) -> list:
        return [w for layer in self.layers for w in layer.get_weights()]

    def set_weights(self, weights: list) -> None:
        if [np.shape(w) for w in weights] != [np.shape(w) for w in self.get_weights()]:
            raise ValueError("shapes do not fit")

    def count_params(self) -> int:
        return sum(w.size for w in self.get_weights())

    def __call__(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        return self._out if self._out is not None else np.zeros((len(x), 1))


def _rnn_layers(units: int = 4, *, first_sequences: bool = True, extra: list | None = None) -> list:
    rnn = dict(activation="tanh", dropout=0.5, recurrent_dropout=0.0, go_backwards=False, use_bias=True)
    return [_layer("Embedding", input_dim=20, output_dim=3, mask_zero=False, weights=((20, 3),)),
            _layer("SimpleRNN", units=units, return_sequences=first_sequences, weights=((3, units),), **rnn),
            _layer("SimpleRNN", units=units, return_sequences=False, **rnn), *(extra or []),
            _layer("Dense", units=32, activation="relu", use_bias=True),
            _layer("Dropout", rate=0.5), _layer("Dense", units=1, activation="sigmoid", use_bias=True)]


PARAMS = {"builder": "build_sentiment_rnn", "vocab_size": 20, "embed_dim": 3, "seq_len": 5, "units": 4, "n_weights": 2}
ARRAYS = {"x": np.zeros((2, 5), np.int32), "w00": np.zeros((20, 3)), "w01": np.zeros((3, 4))}


def _outcome(probe: str, layers: list):
    module = SimpleNamespace(build_sentiment_rnn=lambda *args: _Model(layers))
    outcome = run_in_process(getattr(PROBES, probe), module, probe, dict(ARRAYS), dict(PARAMS))
    assert outcome.status == "ok", outcome.error
    return outcome.values


def explain_types(case, got, expected):
    return layer_types(case, got, expected, args={}, data={})


def explain_config(case, got, expected):
    return layer_config(case, got, expected, args={}, data={})


def explain_weights(case, got, expected):
    return layer_weights(case, got, expected, args={}, data={})


def test_layer_sentences_name_the_layer_and_the_difference():
    want = _outcome("structure", _rnn_layers())
    extra = _outcome("structure", _rnn_layers(extra=[_layer("Flatten")]))
    assert explain_types(None, extra, want).endswith("Your layer 4 (Flatten) is extra.")
    assert explain_types(None, _outcome("structure", _rnn_layers()[:-1]), want).endswith(
        "Dense(1) (layer 6 of the contract) is missing after your layer 5 (Dropout).")
    assert explain_types(None, want, want) is None
    flat = _outcome("structure", _rnn_layers(first_sequences=False))
    assert explain_config(None, flat, want).startswith("The first SimpleRNN must return sequences")
    softmax_v2 = _rnn_layers()
    softmax_v2[-1] = _layer("Dense", units=1, activation="sigmoid_v2", use_bias=True)
    assert explain_config(None, _outcome("structure", softmax_v2), want) is None  # tf.nn.* names are normalised
    wide = _outcome("forward", _rnn_layers(units=6))
    assert explain_weights(None, wide, _outcome("forward", _rnn_layers())) == (
        "Layer 2 (the first SimpleRNN in the contract) has weights of shapes (3, 6); the reference's are (3, 4).")


def test_nested_models_are_opened_up_and_a_non_model_is_a_contract_error():
    nested = _rnn_layers()
    nested[1:3] = [_Model(nested[1:3])]
    assert _outcome("structure", nested)["types"].keys == _outcome("structure", _rnn_layers())["types"].keys
    module = SimpleNamespace(build_sentiment_rnn=lambda *args: None)
    outcome = run_in_process(PROBES.structure, module, "structure", dict(ARRAYS), dict(PARAMS))
    assert outcome.status == "raised" and outcome.error.type_name == "ContractError"
    assert "must return a keras.Model, but it returned NoneType" in outcome.error.message


def test_after_a_hang_a_slow_importing_module_keeps_its_other_checks(tmp_path):
    """A child restarted after a hang imports the module again with the full limit, not the after-hang one
    (exercise-08's module imports TensorFlow); and a restart that cannot import keeps the outcomes already in."""
    from grader.sandbox.runner import SubprocessRunner
    from grader.sandbox.job import Job, Limits, ProbeCall

    module, probe = tmp_path / "student.py", tmp_path / "probe.py"
    module.write_text("import time\ntime.sleep(1.0)  # a slow import, like TensorFlow's\n\n"
                      "def f(hang):\n    while hang:\n        pass\n    return 1.0\n")
    probe.write_text("def run(mod, arrays, params):\n    return {'y': mod.f(params['hang'])}\n")
    calls = tuple(ProbeCall(check=f"c{k}", probe="run", params={"hang": k == 1}, arrays={}) for k in range(3))
    limits = Limits(timeout_s=4.0, after_timeout_s=0.3, total_s=30.0)
    run = SubprocessRunner().run(Job(module_path=module, probe_path=probe, calls=calls, limits=limits))
    assert run.import_error is None and run.processes == 2
    assert [run.outcomes[f"c{k}"].status for k in range(3)] == ["ok", "timeout", "ok"]
    assert 2 < _limits(EXERCISE, Options()).after_timeout_s < EXERCISE.limits.timeout_s  # a Keras check, not an import
