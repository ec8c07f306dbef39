"""exercise-01: word vectors -- cosine_similarity, most_similar and analogy.

The word vectors come from :func:`grader.datagen.analogy_vectors`: families of words with real
structure, where ``b - a + c`` lands nearest ``d`` only once ``a``, ``b`` and ``c`` are excluded.
Each seed only rotates the space, so every check (and its hidden copy) has the same answers.

Independent equivalent: ``sklearn.metrics.pairwise.cosine_similarity``, cross-checked in the same
``compute`` against ``keras.losses.cosine_similarity``. Keras 3 (3.15) keeps the Keras 2 sign
convention: it is a *loss*, ``-sum(l2_normalize(y_true) * l2_normalize(y_pred))``, so it returns the
negative cosine (and ``-0.0`` for a zero vector); ``compute`` negates it before comparing.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from grader.datagen import ANALOGY_QUADRUPLES, analogy_vectors
from grader.spec import ROOT, Case, Check, Equivalent, Exercise, Explain, Field, Hint


# ---- cosine_similarity -----------------------------------------------------------------------

def _cos(a: np.ndarray, b: np.ndarray, mistake: str = "") -> float:
    """The cosine, or what a known mistake computes (NaN where the mistake would divide by zero)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    na, nb, dot = float(np.linalg.norm(a)), float(np.linalg.norm(b)), float(a @ b)
    if mistake == "sum_zero" and (a.sum() == 0 or b.sum() == 0):
        return 0.0
    if na == 0 or nb == 0:
        return 0.0 if mistake in ("", "sum_zero") else float("nan")
    cos = dot / (na * nb)
    return {"": cos, "dot": dot, "norm_a": dot / (na * na), "norm_b": dot / (nb * nb), "abs": abs(cos),
            "negative": -cos, "distance": 1.0 - cos, "squared": dot / (na * na * nb * nb),
            "sum_zero": cos, "pearson": float(np.corrcoef(a, b)[0, 1]) if a.std() and b.std() else float("nan")}[mistake]


def _cosine_variant(mistake: str) -> Callable[[Case], Mapping[str, Any]]:
    def variant(case: Case) -> Mapping[str, Any]:
        a = case.arrays
        return {field: _cos(a[x], a[y], mistake) for field, x, y in case.params["calls"]}
    return variant


COSINE_MISTAKES = (
    ("dot", "cosine_similarity returns the dot product a·b without dividing by |a||b|; the cosine does not "
            "depend on the lengths of the vectors (cos(2a, 3b) = cos(a, b))"),
    ("norm_a", "a·b is divided by |a||a| instead of |a||b|: use the norm of each vector once"),
    ("norm_b", "a·b is divided by |b||b| instead of |a||b|: use the norm of each vector once"),
    ("abs", "the sign is lost (abs() of the cosine?): vectors pointing in opposite directions must give -1.0, not 1.0"),
    ("negative", "the sign is flipped: keras.losses.cosine_similarity is a loss and returns the negative cosine; "
                 "cosine_similarity must return +a·b / (|a||b|)"),
    ("distance", "this is the cosine distance 1 - cos (what scipy.spatial.distance.cosine returns), not the "
                 "cosine similarity a·b / (|a||b|)"),
    ("squared", "a·b is divided by the squared norms |a|²|b|²: the norm is the square root of the sum of squares "
                "(np.linalg.norm)"),
    ("sum_zero", "a vector whose entries sum to zero is not all zeros: test np.any(v) (or its norm), not sum(v) == 0, "
                 "before returning 0.0"),
    ("pearson", "this is the Pearson correlation (np.corrcoef), which first subtracts each vector's mean: the cosine "
                "similarity is a·b / (|a||b|) of the vectors as they are"),
)
COSINE_FIELDS = ("cos", "cos_f32", "cos_lists", "cos_scaled", "cos_ab", "cos_ba", "cos_positive", "cos_opposite",
                 "cos_negative", "cos_zero_first", "cos_zero_second", "cos_zero_both", "cos_sum_zero_first",
                 "cos_sum_zero_second")
COSINE_HINTS = tuple(Hint(message, COSINE_FIELDS, _cosine_variant(m)) for m, message in COSINE_MISTAKES)

ZERO = {"nonfinite": "When a vector is all zeros, |a||b| is 0 and a·b / (|a||b|) is 0/0 = NaN: return 0.0 instead."}
TYPE = {"type": "cosine_similarity must return one number as a float, e.g. float(np.dot(a, b) / (norm_a * norm_b))."}


def _cos_field(name: str, label: str, messages: Mapping[str, str] | None = None) -> Field:
    return Field(name, label, kind="scalar", messages={**TYPE, **(messages or {})})


def _unchanged(key: str) -> Field:
    return Field(f"{key}_after", f"The argument {key}", kind="unchanged",
                 messages={"mutated": f"Your cosine_similarity() modified its argument {key} in place; compute new "
                                      "values instead (write v = v / norm rather than v /= norm)."})


def _basic(rng: np.random.Generator, seed: int) -> dict[str, np.ndarray]:
    a = rng.normal(0, 1, 50)
    vectors = analogy_vectors(seed)
    return {"a": a, "b": 0.6 * a + rng.normal(0, 0.8, 50), "u": vectors["king"], "v": vectors["queen"]}


def _lists(rng: np.random.Generator, seed: int) -> dict[str, np.ndarray]:
    return {"a": rng.integers(1, 6, 4) * rng.choice([-1, 1], 4), "b": np.round(rng.normal(0, 1, 4), 2) + 0.5}


def _scaled(rng: np.random.Generator, seed: int) -> dict[str, np.ndarray]:
    a, b = rng.normal(0, 1, 8), rng.normal(0, 1, 8)
    return {"a": a, "b": b, "a2": 2.0 * a, "b3": 3.0 * b}


def _norms(rng: np.random.Generator, seed: int) -> dict[str, np.ndarray]:
    a = rng.normal(0, 3, 10)
    return {"a": a, "b": 0.008 * a + rng.normal(0, 0.015, 10)}


def _signs(rng: np.random.Generator, seed: int) -> dict[str, np.ndarray]:
    a, c = rng.normal(0, 1, 6), rng.normal(0, 1, 6)
    return {"a": a, "b": 0.8 * a + rng.normal(0, 0.5, 6), "neg": -2.5 * a, "c": c, "d": -0.7 * c + rng.normal(0, 0.5, 6)}


def _zeros(rng: np.random.Generator, seed: int) -> dict[str, np.ndarray]:
    return {"a": rng.normal(0, 1, 5), "zeros": np.zeros(5)}


def _sum_zero(rng: np.random.Generator, seed: int) -> dict[str, np.ndarray]:
    """A vector of integers whose entries sum to exactly zero, but which is not zero, and an ordinary one."""
    a = rng.integers(-4, 5, 6).astype(np.float64)
    a[0] = a[0] if np.any(a[1:]) else 3.0
    a[-1] = -np.sum(a[:-1])
    return {"s": a, "b": rng.normal(0, 1, 6) + 0.3}


def _mismatch(rng: np.random.Generator, seed: int) -> dict[str, np.ndarray]:
    return {"a": rng.normal(0, 1, 3), "b": rng.normal(0, 1, 4)}


def _cosine_check(name: str, title: str, seed: int, make: Callable[[np.random.Generator, int], dict[str, np.ndarray]],
                  fields: tuple[Field, ...], calls: tuple[tuple[str, str, str], ...], *, points: float = 1.0,
                  lists: tuple[str, ...] = (), raises: bool = False) -> Check:
    keys = sorted({k for _, a, b in calls for k in (a, b)})
    fields = fields + tuple(_unchanged(k) for k in keys)

    def case(seed: int) -> Case:
        return Case(params={"calls": [list(c) for c in calls], "lists": list(lists)},
                    arrays=make(np.random.default_rng(seed), seed))
    return Check(name, title, points, "cosine", case, seed, fields, hints=COSINE_HINTS,
                 equivalent_fields=() if raises else tuple(f.name for f in fields if f.kind == "scalar"),
                 expect_raises="ValueError" if raises else None)


COSINE_CHECKS = (
    _cosine_check("cosine_basic", "cosine_similarity of two float64 vectors and of two float32 word vectors", 101,
                  _basic, (_cos_field("cos", "cosine_similarity(a, b)"),
                           _cos_field("cos_f32", "cosine_similarity(v_king, v_queen) (float32 vectors)")),
                  (("cos", "a", "b"), ("cos_f32", "u", "v")), points=2),
    _cosine_check("cosine_lists", "cosine_similarity of two Python lists", 102, _lists,
                  (_cos_field("cos_lists", "cosine_similarity(a, b) for lists a (of ints) and b"),),
                  (("cos_lists", "a", "b"),), lists=("a", "b")),
    _cosine_check("cosine_scale", "cosine_similarity ignores lengths: cos(2a, 3b) = cos(a, b)", 103, _scaled,
                  (_cos_field("cos", "cosine_similarity(a, b)"), _cos_field("cos_scaled", "cosine_similarity(2a, 3b)")),
                  (("cos", "a", "b"), ("cos_scaled", "a2", "b3"))),
    _cosine_check("cosine_norms", "cosine_similarity(a, b) and (b, a) with |a| much longer than |b|", 104, _norms,
                  (_cos_field("cos_ab", "cosine_similarity(a, b)"), _cos_field("cos_ba", "cosine_similarity(b, a)")),
                  (("cos_ab", "a", "b"), ("cos_ba", "b", "a"))),
    _cosine_check("cosine_sign", "cosine_similarity keeps the sign: opposite vectors give -1", 105, _signs,
                  (_cos_field("cos_positive", "cosine_similarity(a, b) for similar a and b"),
                   _cos_field("cos_opposite", "cosine_similarity(a, -2.5 a)"),
                   _cos_field("cos_negative", "cosine_similarity(c, d) for d pointing away from c")),
                  (("cos_positive", "a", "b"), ("cos_opposite", "a", "neg"), ("cos_negative", "c", "d"))),
    _cosine_check("cosine_zero", "cosine_similarity returns 0.0 when a vector is all zeros", 106, _zeros,
                  (_cos_field("cos_zero_first", "cosine_similarity(zeros, a)", ZERO),
                   _cos_field("cos_zero_second", "cosine_similarity(a, zeros)", ZERO),
                   _cos_field("cos_zero_both", "cosine_similarity(zeros, zeros)", ZERO)),
                  (("cos_zero_first", "zeros", "a"), ("cos_zero_second", "a", "zeros"), ("cos_zero_both", "zeros", "zeros"))),
    _cosine_check("cosine_sum_zero", "cosine_similarity of a vector whose entries sum to 0 (but which is not all zeros)",
                  108, _sum_zero, (_cos_field("cos_sum_zero_first", "cosine_similarity(s, b) for s summing to 0"),
                                   _cos_field("cos_sum_zero_second", "cosine_similarity(b, s) for s summing to 0")),
                  (("cos_sum_zero_first", "s", "b"), ("cos_sum_zero_second", "b", "s"))),
    _cosine_check("cosine_lengths_differ", "cosine_similarity raises ValueError for vectors of different lengths", 107,
                  _mismatch, (), (("cos", "a", "b"),), raises=True),
)


# ---- most_similar and analogy ----------------------------------------------------------------

def _map_unchanged(function: str) -> Field:
    return Field("embedding_map_after", "The argument embedding_map", kind="unchanged",
                 messages={"mutated": f"Your {function} modified embedding_map in place (a word removed or added, or a "
                                      "vector changed): skip words while ranking instead of deleting them, and compute "
                                      "new arrays (v = v / norm) rather than changing the stored vectors."})


def _words_case(**params: Any) -> Callable[[int], Case]:
    def case(seed: int) -> Case:
        vectors = analogy_vectors(seed)
        return Case(params={"words": list(vectors), **params}, arrays={"vectors": np.stack(list(vectors.values()))})
    return case


def _dot_scores(case: Case) -> np.ndarray:
    """The top scores of most_similar if it ranked by the dot product instead of the cosine."""
    words, m = list(case.params["words"]), case.arrays["vectors"].astype(np.float64)
    i = words.index(case.params["word"])
    scores = np.delete(m @ m[i], i)
    return -np.sort(-scores)[: case.params.get("topn") or 5]


SCORE_HINTS = (Hint("the scores are dot products, not cosines: divide each v_word·v_other by |v_word||v_other|",
                    ("scores",), lambda case: {"scores": _dot_scores(case)}),)


def _similar_fields(word: str, topn: int | None) -> tuple[Field, ...]:
    call = f"most_similar({word!r}, embedding_map{'' if topn is None else f', {topn}'})"
    n = 5 if topn is None else topn
    return (
        Field("includes_word", f"Whether {call} lists {word!r} itself", kind="exact",
              messages={"value": f"The word itself must never be in the list (its similarity with itself is 1.0, so "
                                 f"it always comes first): leave {word!r} out of the candidates."}),
        Field("count", f"The number of pairs returned by {call}", kind="exact",
              messages={"value": f"Return exactly topn = {n} pairs{' (the default)' if topn is None else ''}: slice the "
                                 "ranked list with [:topn], after leaving the word itself out, and use the topn "
                                 "argument rather than a fixed number."}),
        Field("descending", f"Whether the scores of {call} are in descending order", kind="exact",
              messages={"value": "Sort from the highest similarity to the lowest: sorted(..., reverse=True) or "
                                 "np.argsort(-scores), not an ascending sort."}),
        Field("scores", f"The list of scores in {call}"),
        Field("words", f"The list of words in {call}", kind="exact"),
        _map_unchanged("most_similar()"),
    )


def _similar_check(name: str, title: str, seed: int, word: str, topn: int | None, points: float = 1.0) -> Check:
    return Check(name, title, points, "most_similar", _words_case(word=word, topn=topn), seed,
                 _similar_fields(word, topn), hints=SCORE_HINTS, equivalent_fields=("scores",))


N_WORDS = len(analogy_vectors(0))
SIMILAR_CHECKS = (
    _similar_check("most_similar_default", "most_similar('king', embedding_map): the 5 nearest words", 111,
                   "king", None, points=2),
    _similar_check("most_similar_topn", "most_similar('paris', embedding_map, 8): topn = 8", 112, "paris", 8),
    _similar_check("most_similar_all", f"most_similar('walked', embedding_map, {N_WORDS - 1}): every other word, "
                   "ranked", 113, "walked", N_WORDS - 1),
    Check("most_similar_missing", "most_similar raises KeyError for a word that has no vector", 1.0, "most_similar",
          _words_case(word="unicorn", topn=None), 114, expect_raises="KeyError"),
)


def _analogy_answer(case: Case, a: str, b: str, c: str, *, reverse: bool = False) -> str:
    words, m = list(case.params["words"]), case.arrays["vectors"].astype(np.float64)
    va, vb, vc = (m[words.index(w)] for w in (a, b, c))
    target = va - vb + vc if reverse else vb - va + vc
    scores = [(_cos(row, target), w) for w, row in zip(words, m) if w not in (a, b, c)]
    return max(scores, key=lambda s: s[0])[1]


def _reversed_answers(case: Case) -> dict[str, Any]:
    """Explain data (stored in the key): the word each quadruple gives with the offset reversed, v_a - v_b + v_c."""
    return {"reversed": [_analogy_answer(case, a, b, c, reverse=True) for a, b, c in case.params["quads"]]}


ANSWERS = Field("answers", "The list of answers of analogy(a, b, c, embedding_map) for the four quadruples", kind="exact")


def _analogy_check(name: str, title: str, seed: int, quads: tuple[tuple[str, str, str, str], ...]) -> Check:
    return Check(name, title, 2.0, "analogy", _words_case(quads=[list(q[:3]) for q in quads]), seed,
                 (ANSWERS, _map_unchanged("analogy()")), explain=Explain("analogy", data=_reversed_answers))


NEGATIVE_WORDS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta")
# (cosine with the target v_b - v_a + v_c, length) of each candidate: cosine and dot product pick different words
NEGATIVE_CANDIDATES = ((-0.2, 10.0), (-0.5, 1.0), (-0.9, 0.4), (-0.35, 3.0))


def _negative_case(seed: int) -> Case:
    """Every candidate has a negative cosine with the target, and their lengths differ (analogy's hard case)."""
    rng = np.random.default_rng(seed)
    va, vb, vc = (rng.normal(0, 1, 8) for _ in range(3))
    target = vb - va + vc
    u = target / np.linalg.norm(target)
    rows = [va, vb, vc]
    for cos, length in NEGATIVE_CANDIDATES:
        w = rng.normal(0, 1, 8)
        w -= (w @ u) * u
        rows.append(length * (cos * u + np.sqrt(1 - cos**2) * w / np.linalg.norm(w)))
    return Case(params={"words": list(NEGATIVE_WORDS), "quads": [list(NEGATIVE_WORDS[:3])]},
                arrays={"vectors": np.stack(rows).astype(np.float32)})


NEGATIVE_ANSWERS = Field("answers", "The answer of analogy('alpha', 'beta', 'gamma', embedding_map)", kind="exact",
                         messages={"value": "Every candidate has a negative cosine with v_b - v_a + v_c here, and their "
                                            "lengths differ: the answer is the word with the largest cosine, the least "
                                            "negative one. Start the search from -inf (or take the maximum over all "
                                            "candidates), not from 0, and compare cosines, not dot products."})

ANALOGY_CHECKS = (
    _analogy_check("analogy_people", "analogy: man : king :: woman : queen, and three more about people", 121,
                   ANALOGY_QUADRUPLES[:4]),
    _analogy_check("analogy_places_verbs", "analogy: capitals and past tenses (france : paris :: italy : rome ...)",
                   122, ANALOGY_QUADRUPLES[4:]),
    Check("analogy_all_negative", "analogy when every candidate's cosine is negative and their lengths differ", 1.0,
          "analogy", _negative_case, 123, (NEGATIVE_ANSWERS, _map_unchanged("analogy()")),
          explain=Explain("analogy", data=_reversed_answers)),
)


# ---- the independent equivalent ----------------------------------------------------------------

def _sklearn_and_keras(rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
    """Row-wise cosines by scikit-learn, checked against Keras (whose loss is the negative cosine)."""
    from grader.equivalents.tf_env import import_tensorflow

    import_tensorflow()  # quiet logs; Keras runs on TensorFlow
    import keras
    from sklearn.metrics.pairwise import cosine_similarity as sk_cosine

    sk = np.array([sk_cosine(x[None], y[None])[0, 0] for x, y in zip(rows_a, rows_b)], dtype=np.float64)
    ks = -np.asarray(keras.ops.convert_to_numpy(keras.losses.cosine_similarity(rows_a, rows_b)), dtype=np.float64)
    if not np.allclose(sk, ks, rtol=0, atol=1e-9):
        raise RuntimeError(f"scikit-learn and Keras disagree on a cosine: {sk} and {ks}")
    return sk


def equivalent_values(check: Check, case: Case) -> Mapping[str, np.ndarray]:
    arrays = {k: np.asarray(v, dtype=np.float64) for k, v in case.arrays.items()}
    if check.probe == "cosine":
        return {field: _sklearn_and_keras(arrays[a][None], arrays[b][None])[0] for field, a, b in case.params["calls"]}
    words, m = list(case.params["words"]), arrays["vectors"]
    i = words.index(case.params["word"])
    others = [j for j in range(len(words)) if j != i]
    cos = _sklearn_and_keras(m[others], np.repeat(m[i][None], len(others), axis=0))
    return {"scores": -np.sort(-cos)[: case.params.get("topn") or 5]}


EXERCISE = Exercise(
    id="exercise-01",
    title="Word vectors: cosine similarity, nearest words and analogies",
    module_glob="exercise_01_*.py",
    stub=ROOT / "exercises" / "exercise_01_word_vectors.py",
    reference=ROOT / "solutions" / "exercise_01_word_vectors.py",
    probes=ROOT / "grader" / "probes" / "exercise_01.py",
    checks=COSINE_CHECKS + SIMILAR_CHECKS + ANALOGY_CHECKS,
    equivalent=Equivalent(library="scikit-learn cosine_similarity, cross-checked with keras.losses.cosine_similarity "
                                  "(negated)", compute=equivalent_values),
)
