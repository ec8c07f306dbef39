"""Direct checks of the exercise-01, -02 and -05 references against scikit-learn, Keras and TF.

Temporary: these call the reference modules directly (no grader). The references are loaded
by file path because ``solutions`` is not a package.
"""
from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from grader import datagen
from grader.equivalents.tf_env import import_tensorflow

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"ref_{name}", ROOT / "solutions" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ex01 = _load("exercise_01_word_vectors")
ex02 = _load("exercise_02_embeddings")
ex05 = _load("exercise_05_clipping")


@pytest.fixture(scope="module")
def tf():
    return import_tensorflow()


# ---- exercise 01 --------------------------------------------------------------------------

def test_cosine_matches_sklearn() -> None:
    from sklearn.metrics.pairwise import cosine_similarity as sk_cosine

    rng = np.random.default_rng(0)
    for n in (1, 2, 5, 50):
        a, b = rng.normal(size=n), rng.normal(size=n)
        got = ex01.cosine_similarity(a, b)
        assert type(got) is float
        assert got == pytest.approx(sk_cosine([a], [b])[0, 0], abs=1e-12)
    assert ex01.cosine_similarity([1.0, 2.0], [-2.0, -4.0]) == pytest.approx(-1.0)
    assert ex01.cosine_similarity([0.0, 0.0], [1.0, 2.0]) == 0.0
    assert ex01.cosine_similarity(np.float32([1, 2]), np.zeros(2)) == 0.0
    with pytest.raises(ValueError):
        ex01.cosine_similarity([1, 2], [1, 2, 3])


def test_most_similar_matches_sklearn_ranking() -> None:
    from sklearn.metrics.pairwise import cosine_similarity as sk_cosine

    vectors = datagen.analogy_vectors(1)
    words = list(vectors)
    scores = sk_cosine(np.array([vectors[w] for w in words]))
    for i, word in enumerate(words):
        expected = sorted(((scores[i, j], words[j]) for j in range(len(words)) if j != i), reverse=True)
        got = ex01.most_similar(word, vectors, topn=len(words))
        assert [w for w, _ in got] == [w for _, w in expected]
        assert np.allclose([s for _, s in got], [s for s, _ in expected], atol=1e-6)
        assert [w for w, _ in ex01.most_similar(word, vectors)] == [w for _, w in expected[:5]]
    assert ex01.most_similar("king", vectors, topn=0) == []
    with pytest.raises(KeyError):
        ex01.most_similar("unknown", vectors)


@pytest.mark.parametrize("seed", [0, 7])
def test_analogy_needs_all_three_excluded(seed: int) -> None:
    vectors = datagen.analogy_vectors(seed)
    for a, b, c, d in datagen.ANALOGY_QUADRUPLES:
        assert ex01.analogy(a, b, c, vectors) == d
        target = vectors[b].astype(np.float64) - vectors[a] + vectors[c]
        best = max(vectors, key=lambda w: ex01.cosine_similarity(target, vectors[w]))
        assert best in (a, b, c)  # without the exclusion a distractor wins


# ---- exercise 02 --------------------------------------------------------------------------

@pytest.mark.parametrize("n_words, dim, seed", [(1, 1, 0), (5, 3, 1), (40, 10, 2), (2000, 6, 3)])
def test_load_embed_matches_generated_file(tmp_path: Path, n_words: int, dim: int, seed: int) -> None:
    path = tmp_path / "glove.txt"
    path.write_text(datagen.glove_text(n_words=n_words, dim=dim, seed=seed), encoding="utf-8")
    got = ex02.load_embed(path)
    expected = datagen.glove_expected(n_words=n_words, dim=dim, seed=seed)
    assert got.keys() == expected.keys()
    for word, vector in expected.items():
        assert got[word].dtype == np.float32 and got[word].shape == (dim,)
        np.testing.assert_array_equal(got[word], vector)


# The ragged-line ValueError and build_embedding_matrix are graded by tests/test_exercise_02.py.


def test_pad_sequences_matches_keras() -> None:
    import_tensorflow()
    import keras

    sets = [datagen.int_sequences(n=7, max_len=6, vocab=40, seed=s) for s in range(3)]
    sets += [[[1, 2, 3]], [[], [4]], [np.array([5, 6, 7, 8])]]
    for seqs, maxlen, padding, truncating, value in itertools.product(
            sets, [None, 1, 2, 4, 6, 9], ["pre", "post"], ["pre", "post"], [0, -1, 7]):
        expected = keras.utils.pad_sequences(seqs, maxlen=maxlen, padding=padding, truncating=truncating, value=value)
        got = ex02.pad_sequences(seqs, maxlen=maxlen, padding=padding, truncating=truncating, value=value)
        assert got.dtype == np.int32
        np.testing.assert_array_equal(got, expected)
    for bad in ({"padding": "middle"}, {"truncating": "both"}):
        with pytest.raises(ValueError):
            ex02.pad_sequences([[1, 2]], **bad)


# ---- exercise 05 --------------------------------------------------------------------------

def _close(got: np.ndarray, expected: np.ndarray) -> None:
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7, equal_nan=True)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_clip_by_value_and_norm_match_tf(tf, dtype) -> None:
    rng = np.random.default_rng(3)
    t = (rng.normal(size=(3, 4)) * 2).astype(dtype)
    before = t.copy()
    for lo, hi in [(-0.5, 0.5), (1.0, -1.0), (0.2, 0.2)]:
        _close(ex05.clip_by_value(t, lo, hi), tf.clip_by_value(t, dtype(lo), dtype(hi)).numpy())
    for clip in (0.5, 2.0, 100.0):
        for axes in (None, 0, [1], [0, 1]):
            _close(ex05.clip_by_norm(t, clip, axes=axes), tf.clip_by_norm(t, clip, axes=axes).numpy())
    for special in (np.zeros((2, 3), dtype), np.array([np.inf, 1.0], dtype), np.array([np.nan, 1.0], dtype)):
        _close(ex05.clip_by_norm(special, 1.0), tf.clip_by_norm(special, 1.0).numpy())
    np.testing.assert_array_equal(t, before)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_global_norm_clipping_matches_tf(tf, dtype) -> None:
    rng = np.random.default_rng(4)
    cases = [[rng.normal(size=(3, 4)).astype(dtype), None, rng.normal(size=5).astype(dtype)],
             [np.zeros(3, dtype)], [np.array([np.inf, 1.0], dtype), None, np.ones(2, dtype)],
             (rng.normal(size=2).astype(dtype) * 0.01,)]
    for t_list in cases:
        before = [None if t is None else t.copy() for t in t_list]
        assert ex05.global_norm(t_list) == pytest.approx(float(tf.linalg.global_norm(t_list)), rel=1e-6)
        for clip, use_norm in itertools.product([0.5, 100.0], [None, 0.25, np.inf]):
            result = ex05.clip_by_global_norm(t_list, clip, use_norm=use_norm)
            clipped, norm = result
            tf_use = None if use_norm is None else tf.constant(use_norm, dtype=dtype)
            tf_clipped, tf_norm = tf.clip_by_global_norm(t_list, clip, use_norm=tf_use)
            assert isinstance(result, tuple) and isinstance(clipped, list) and isinstance(norm, float)
            assert norm == pytest.approx(float(tf_norm), rel=1e-6)
            for got, expected in zip(clipped, tf_clipped, strict=True):
                assert (got is None) == (expected is None)
                if got is not None:
                    _close(got, expected.numpy())
        for t, b in zip(t_list, before):
            assert (t is None and b is None) or np.array_equal(t, b, equal_nan=True)
    assert ex05.global_norm([]) == 0.0 and ex05.global_norm([None]) == 0.0
    with pytest.raises(TypeError):
        ex05.clip_by_global_norm(np.ones(3), 1.0)
