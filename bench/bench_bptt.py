"""Benchmark: the exercise-04 reference ``rnn_backward`` against TensorFlow's ``GradientTape``.

All three compute the same thing: the forward pass over the whole sequence, the loss and the gradients
of ``U, W, V, b, c, h0``. The reference always computes in float64. TensorFlow is timed in float32 and
float64, eagerly and under ``tf.function`` (the time loop is unrolled; the one-off tracing is excluded).

Usage: ``python bench/bench_bptt.py [--batch 128] [--T 80] [--n-x 100] [--n-h 64] [--n-o 2]
[--repeats 15] [--activation tanh] [--mode all]``.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from grader.equivalents.tf_bptt import make_tf_bptt, tf_device  # noqa: E402
from solutions.exercise_04_bptt import rnn_backward  # noqa: E402


def median_time(fn: Callable[[], Any], repeats: int, warmup: int = 2) -> float:
    """Median wall-clock seconds of ``fn()`` over ``repeats`` runs, after ``warmup`` runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_inputs(batch: int, T: int, n_x: int, n_h: int, n_o: int, seed: int = 0) -> tuple[Any, ...]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(batch, T, n_x))
    h0 = rng.normal(scale=0.1, size=(n_h, batch))
    params = {
        "U": rng.normal(scale=1 / np.sqrt(n_x), size=(n_h, n_x)),
        "W": rng.normal(scale=1 / np.sqrt(n_h), size=(n_h, n_h)),
        "V": rng.normal(scale=1 / np.sqrt(n_h), size=(n_o, n_h)),
        "b": np.zeros((n_h, 1)),
        "c": np.zeros((n_o, 1)),
    }
    y = np.eye(n_o)[rng.integers(0, n_o, size=batch)]
    return X, y, h0, params


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--T", type=int, default=80)
    ap.add_argument("--n-x", type=int, default=100)
    ap.add_argument("--n-h", type=int, default=64)
    ap.add_argument("--n-o", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--activation", default="tanh", choices=("tanh", "sigmoid"))
    ap.add_argument("--mode", default="all", choices=("all", "last"))
    a = ap.parse_args(argv)

    import tensorflow as tf

    device = tf_device()
    X, y, h0, params = make_inputs(a.batch, a.T, a.n_x, a.n_h, a.n_o)
    print(f"batch={a.batch} T={a.T} n_x={a.n_x} n_h={a.n_h} n_o={a.n_o} activation={a.activation} "
          f"mode={a.mode} repeats={a.repeats}")
    print(f"numpy {np.__version__}, tensorflow {tf.__version__}, TF device {device}, "
          f"{os.cpu_count()} CPUs")

    def ref_call() -> Any:
        return rnn_backward(X, y, h0, params, a.activation, a.mode)

    rows: list[tuple[str, float]] = []
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:  # threadpoolctl comes with scikit-learn; without it, time the default only
        threadpool_info, threadpool_limits = None, None
    if threadpool_limits is not None:
        n_blas = max((p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"), default=0)
        rows.append((f"reference rnn_backward (NumPy float64, default {n_blas} BLAS threads)",
                     median_time(ref_call, a.repeats)))
        with threadpool_limits(limits=1, user_api="blas"):
            rows.append(("reference rnn_backward (NumPy float64, 1 BLAS thread)", median_time(ref_call, a.repeats)))
    else:
        rows.append(("reference rnn_backward (NumPy float64)", median_time(ref_call, a.repeats)))
    ref_s = min(r[1] for r in rows)
    ref_grads = rnn_backward(X, y, h0, params, a.activation, a.mode)
    with tf.device(device):
        for dtype in ("float32", "float64"):
            arrays = [X, y, h0] + [params[k] for k in ("U", "W", "V", "b", "c")]
            args = [tf.constant(v, dtype=dtype) for v in arrays]
            for compiled in (False, True):
                fn = make_tf_bptt(a.activation, a.mode, compiled=compiled)
                out = fn(*args)  # traces the tf.function once; checks the result
                err = max(float(np.max(np.abs(out[3 + i].numpy() - ref_grads[k])))
                          for i, k in enumerate(("U", "W", "V", "b", "c", "h0")))
                label = f"tf.GradientTape {'tf.function' if compiled else 'eager'} ({dtype})"
                secs = median_time(lambda: [t.numpy() for t in fn(*args)], a.repeats)
                rows.append((label + f" [max |grad - ref| {err:.1e}]", secs))

    width = max(len(r[0]) for r in rows)
    for label, secs in rows:
        print(f"{label:<{width}}  {secs * 1e3:9.2f} ms  {secs / ref_s:7.2f}x the fastest reference run")
    print("Median wall-clock times; TF uses its default intra-/inter-op thread pools. On a busy machine a\n"
          "multi-threaded OpenBLAS can be many times slower than one thread for these small matrices.")


if __name__ == "__main__":
    main()
