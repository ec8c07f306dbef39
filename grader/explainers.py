"""Extra sentences for failed checks (``Check.explain = Explain(name, args, data)``), answer-free.

Each function gets the case, the student's outputs, the expected outputs (from the answer key), the
explain's JSON ``args`` and its ``data``: values only a formula gives (a known mistake's outputs), which
the spec computed when the key was built and the key stores. Nothing here computes a correct answer.
It returns a sentence in ``tr``'s language (grader/i18n.py), or None when it has nothing to add; sentences
kept as the explain's data (``args``) are spec data, extracted by grader/i18n_extract.py and shown with
``tr.text``.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from grader.structural import close
from grader.diagnose.bptt import verified_blame
from grader.explainers_keras import KERAS_EXPLAINERS
from grader.i18n import Translator, translator
from grader.model import Value
from grader.spec import Case, Explain

Outputs = Mapping[str, Value]
Explainer = Callable[..., "str | None"]


def analogy(case: Case, got: Outputs, expected: Outputs, *, args: Mapping[str, Any],
            data: Mapping[str, Any], tr: Translator) -> str | None:
    """exercise-01: the first wrong answer was one of a, b, c (not excluded), or the reversed offset's word."""
    answers = got.get("answers")
    if answers is None or answers.kind != "sequence":
        return None
    reversed_words = list(data.get("reversed", ()))
    for index, ((a, b, c), mine, want) in enumerate(zip(case.params["quads"], answers.items, expected["answers"].items)):
        call = f"analogy({a!r}, {b!r}, {c!r}, embedding_map)"
        if mine.kind == "forbidden" and "str" in mine.keys:
            return tr._("Likely cause: %(call)s returned a %(type)s; return the word as a plain str (str(word)).",
                        call=call, type=mine.type_name)
        if mine.kind != "str" or mine.text == want.text:
            continue
        if mine.text in (a, b, c):
            return tr._("Likely cause: %(call)s returned %(word)s, one of the three words it was given: the target "
                        "v_b - v_a + v_c is often closest to one of them, so exclude all three of a, b and c (not only "
                        "c) from the candidates.", call=call, word=repr(mine.text))
        if index < len(reversed_words) and mine.text == reversed_words[index]:
            return tr._("Likely cause: the offset is reversed: %(call)s returned %(word)s, the word nearest "
                        "v_a - v_b + v_c; the target for a : b :: c : d is v_b - v_a + v_c.", call=call,
                        word=repr(mine.text))
        return None
    return None


def glove_dtypes(case: Case, got: Outputs, expected: Outputs, *, args: Mapping[str, Any],
                 data: Mapping[str, Any], tr: Translator) -> str | None:
    """exercise-02: vectors that are still strings, float64, or not 1-D float32 arrays."""
    value = got.get("dtypes")
    texts = [v.text or "" for v in value.items] if value is not None and value.kind == "sequence" else []
    if texts == [v.text for v in expected["dtypes"].items]:
        return None
    if any(t.endswith(" str") for t in texts):
        return tr._("The values are still strings: convert them with np.asarray(values[1:], dtype='float32').")
    if any(t.endswith("float64") for t in texts):
        return tr._("The vectors are float64 (NumPy's default for float): ask for dtype='float32', which also halves "
                    "the memory of 400,000 vectors.")
    return tr._("Each vector must be a 1-D numpy.ndarray of float32: np.asarray(values[1:], dtype='float32').")


def ragged_line(case: Case, got: Outputs, expected: Outputs, *, args: Mapping[str, Any],
                data: Mapping[str, Any], tr: Translator) -> str | None:
    """exercise-02: quote the student's ValueError message next to the bad line's number."""
    outcome, message = got.get("outcome"), got.get("message")
    raised = outcome is not None and outcome.text == "raises ValueError" and message is not None
    if not raised:
        return None
    return tr._("The bad line is line %(line)s; your message was %(message)s.", line=case.params["bad_line"],
                message=repr(message.text))  # type: ignore[union-attr]


def zero_rows(case: Case, got: Outputs, expected: Outputs, *, args: Mapping[str, Any],
              data: Mapping[str, Any], tr: Translator) -> str | None:
    """exercise-02: only the rows that must stay zero are wrong (the matrix did not start from zeros)."""
    field = str(args.get("field", "matrix"))
    value, want = got.get(field), expected[field].data
    if value is None or value.data is None or want is None or value.shape != want.shape:
        return None
    zero = np.all(want == 0, axis=1)
    if np.any(value.data[zero] != 0) and close(value.data[~zero], want[~zero], atol=1e-6, rtol=1e-6):
        return tr._("Rows without a vector (row 0, the padding, and the rows of words missing from embedding_map) "
                    "must stay all zeros: start from np.zeros((num_words, dim), dtype='float32'), not from random "
                    "values.")
    return None


def _near(got: Value | None, want: np.ndarray | None, atol: float, rtol: float) -> bool:
    return (got is not None and got.kind == "array" and got.data is not None and want is not None
            and close(got.data, np.asarray(want, np.float64), atol=atol, rtol=rtol))


def _divergence(act: str, mode: str, got: np.ndarray, want: np.ndarray, atol: float, rtol: float, *,
                tr: Translator) -> str:
    """The first step, counting back from T, where the student's carried gradient dL/dh_t leaves the key's."""
    T = want.shape[0]
    for k in range(T - 1, -1, -1):
        if not close(got[k], want[k], atol=atol, rtol=rtol):
            values = {"act": act, "mode": mode, "T": T, "t": k, "step": k + 1, "next": k + 1, "last": T - 1}
            if k == T - 1:
                return tr._("With %(act)s and mode '%(mode)s', counting back from T = %(T)s, your carried gradient "
                            "dL/dh_t diverges already at t = %(t)s, the first step back: dL/dh_%(t)s = W.T @ "
                            "dz_%(step)s, so the error enters at step %(step)s of your backward loop.", **values)
            if k + 1 == T - 1:
                return tr._("With %(act)s and mode '%(mode)s', counting back from T = %(T)s, your carried gradient "
                            "dL/dh_t diverges first at t = %(t)s (it is correct at t = %(next)s): dL/dh_%(t)s = W.T @ "
                            "dz_%(step)s, so the error enters at step %(step)s of your backward loop.", **values)
            return tr._("With %(act)s and mode '%(mode)s', counting back from T = %(T)s, your carried gradient dL/dh_t "
                        "diverges first at t = %(t)s (it is correct at t = %(next)s to %(last)s): dL/dh_%(t)s = W.T @ "
                        "dz_%(step)s, so the error enters at step %(step)s of your backward loop.", **values)
    return tr._("With %(act)s and mode '%(mode)s', counting back from T = %(T)s, your carried gradient dL/dh_t is "
                "correct at every step (t = %(last)s down to 0), so the backward recursion itself is right: the mistake "
                "is in how the terms of the steps are added up into this gradient.", act=act, mode=mode, T=T,
                last=T - 1)


def carried_gradient(case: Case, got: Outputs, expected: Outputs, *, args: Mapping[str, Any],
                     data: Mapping[str, Any], tr: Translator) -> str | None:
    """exercise-04: where the carried gradient first goes wrong, for a recurrent parameter's gradient.

    ``args``: ``key`` (the parameter), ``combos`` ([activation, mode] pairs), ``atol``, ``rtol``.
    ``data["unmeasured"]``: {mistake: {field: array}}, the outputs of mistakes the carried gradient cannot show.
    """
    key, atol, rtol = str(args["key"]), float(args["atol"]), float(args["rtol"])
    unmeasured: Mapping[str, Mapping[str, np.ndarray]] = data.get("unmeasured", {})
    for act, mode in args["combos"]:
        name, want = f"d{key} ({act}, {mode})", expected.get(f"d{key} ({act}, {mode})")
        if want is None or _near(got.get(name), want.data, atol, rtol):
            continue
        if any(_near(got.get(name), outputs.get(name), atol, rtol) for outputs in unmeasured.values()):
            return None  # the likely cause says it all; the carried gradients cannot show these mistakes
        if not _near(got.get(f"H ({act})"), expected[f"H ({act})"].data, atol, rtol):
            return tr._("These gradients come from your own rnn_forward, which does not match the reference yet "
                        "(see the forward checks): fix it first.")
        decided, sentence = verified_blame(key, act, mode, got, expected, atol=atol, rtol=rtol,
                                           tr=tr)  # grader/diagnose/bptt.py
        if decided:
            return sentence
        mine, ref = got.get(f"carried ({act}, {mode})"), expected[f"carried ({act}, {mode})"].data
        ok = mine is not None and mine.data is not None and ref is not None and mine.shape == ref.shape
        return _divergence(act, mode, mine.data, ref, atol, rtol, tr=tr) if ok else None  # type: ignore[union-attr]
    return None


def flat_loss(case: Case, got: Outputs, expected: Outputs, *, args: Mapping[str, Any],
              data: Mapping[str, Any], tr: Translator) -> str | None:
    """exercise-04: the student's loss does not change at all when the parameter changes (finite differences)."""
    key, atol = str(args["key"]), float(args["atol"])
    for act, mode in args["combos"]:
        fd, mine = got.get(f"fd d{key} ({act}, {mode})"), got.get(f"d{key} ({act}, {mode})")
        if (fd and mine and fd.data is not None and mine.data is not None and np.all(np.abs(fd.data) < 1e-9)
                and np.any(np.abs(mine.data) > atol)):
            if key == "h0":
                return tr._("Your rnn_loss(rnn_forward(...)) does not change at all when %(key)s changes (activation "
                            "'%(act)s', mode '%(mode)s'): rnn_forward must start from %(key)s.", key=key, act=act,
                            mode=mode)
            return tr._("Your rnn_loss(rnn_forward(...)) does not change at all when %(key)s changes (activation "
                        "'%(act)s', mode '%(mode)s'): rnn_forward must use %(key)s.", key=key, act=act, mode=mode)
    return None


def _same(got: Value | None, want: Any) -> bool:
    if got is None:
        return False
    if isinstance(want, str):
        return got.kind == "str" and got.text == want
    if isinstance(want, bool) or want is None:
        return False
    return got.data is not None and close(got.data, np.asarray(want, np.float64), atol=1e-9, rtol=1e-9)


def matching_mistake(case: Case, got: Outputs, expected: Outputs, *, args: Mapping[str, Any],
                     data: Mapping[str, Any], tr: Translator) -> str | None:
    """Any exercise: the first known mistake whose stored outputs are exactly the student's names the cause.

    ``data["mistakes"]``: ``[{"sentence": ..., "outputs": {field: str or number}}]``, computed at key build.
    """
    for mistake in data.get("mistakes", ()):
        outputs = mistake["outputs"]
        if all(_same(expected.get(name), want) for name, want in outputs.items()):
            continue  # this mistake gives the right answers here, so it cannot explain a wrong one
        if outputs and all(_same(got.get(name), want) for name, want in outputs.items()):
            return tr._("Likely cause: %(cause)s.", cause=tr.text(mistake["sentence"]))
    return None


def cause_by_text(case: Case, got: Outputs, expected: Outputs, *, args: Mapping[str, Any],
                  data: Mapping[str, Any], tr: Translator) -> str | None:
    """Any exercise: the sentence ``args["causes"][text]`` for the text of the student's output ``args["field"]``.

    Else ``args["otherwise"]`` (optional); ``{value}`` in a sentence is the student's text. (exercise-07: what a
    training loss that goes up, does not change or is not finite says about the update.)
    """
    value = got.get(str(args["field"]))
    text = value.text if value is not None and value.kind == "str" else None
    sentence = args.get("causes", {}).get(text) if text is not None else None
    sentence = sentence if sentence is not None else args.get("otherwise")
    return tr.text(sentence).replace("{value}", tr.text(text or "")) if sentence else None


def same_or_different(case: Case, got: Outputs, expected: Outputs, *, args: Mapping[str, Any],
                      data: Mapping[str, Any], tr: Translator) -> str | None:
    """Any exercise: compare two outputs of the student's own run, ``args["first"]`` and ``args["second"]``;
    ``args["different"]`` or ``args["same"]`` is the sentence (exercise-07: two runs with lr=0 tell unseeded
    initial weights from unseeded shuffling). Nothing when either output is missing.
    """
    first, second = got.get(str(args["first"])), got.get(str(args["second"]))
    if first is None or second is None or first.data is None or second.data is None:
        return None
    same = first.data.shape == second.data.shape and bool(np.array_equal(first.data, second.data))
    return tr.text(str(args["same"] if same else args["different"]))


EXPLAINERS: Mapping[str, Explainer] = {**{f.__name__: f for f in (analogy, glove_dtypes, ragged_line, zero_rows,
                                                                    carried_gradient, flat_loss, matching_mistake,
                                                                    cause_by_text, same_or_different)},
                                        **KERAS_EXPLAINERS}  # exercise-08: grader/explainers_keras.py

ERRORS = (ArithmeticError, ValueError, KeyError, IndexError, TypeError, AttributeError)


def explain_sentence(explain: Explain, case: Case, got: Outputs, expected: Outputs, *,
                     tr: Translator | None = None) -> str | None:
    """The extra sentence of ``explain`` for this outcome, or None (also when the explainer trips on odd output)."""
    function = EXPLAINERS.get(explain.name)
    if function is None:
        raise LookupError(f"no explainer {explain.name!r} in grader/explainers.py")
    try:
        data = explain.data(case) if explain.data is not None else {}
        return function(case, got, expected, args=explain.args, data=data, tr=tr or translator())
    except ERRORS:
        return None
