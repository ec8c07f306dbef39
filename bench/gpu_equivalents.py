"""Recompute every exercise's independent equivalents live on a GPU and compare them with the stored CPU values.

The stored values (``grader/data/equivalents/exercise-NN.npz``) were computed with TensorFlow/Keras on a CPU.
This script recomputes each exercise's equivalents with the same code (``compute_live``) on the first visible
GPU, with TF32 off (``tf.config.experimental.enable_tensor_float_32_execution(False)``, so float32 matmuls and
convolutions keep their 24-bit mantissa), and prints, per exercise, the device that computed them and the
largest absolute and relative difference from the stored values (and where it is).

On a machine where TensorFlow sees no GPU it says so and exits 0: there is nothing to compare, and it never
pretends a CPU is a GPU. ``--cpu`` runs the same comparison on the CPU instead (a check of the script itself:
every difference should then be 0 or within float rounding).

Usage, with the GPU build of TensorFlow installed into the venv (see the README, "TensorFlow on a GPU")::

    .venv/bin/python bench/gpu_equivalents.py [--exercise exercise-03 ...] [--cpu]

Exit status: 0 when every exercise's difference is within its equivalent's tolerance (or no GPU is visible),
1 when one is not.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Sequence

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from grader.equivalents.store import Stored, compute_live, read_store  # noqa: E402
from grader.spec import Exercise  # noqa: E402
from grader.specs import all_exercises, get_exercise  # noqa: E402


def largest_difference(stored: Stored, live: Stored) -> tuple[float, float, str]:
    """The largest absolute and relative difference over every check and field, and where it is."""
    worst_abs, worst_rel, where = 0.0, 0.0, ""
    for check, fields in live.items():
        for name, value in fields.items():
            want = np.asarray(stored.get(check, {}).get(name), dtype=np.float64)
            got = np.asarray(value, dtype=np.float64)
            if want.shape != got.shape:
                return float("inf"), float("inf"), f"{check}/{name} (shape {got.shape}, stored {want.shape})"
            if not want.size:
                continue
            with np.errstate(invalid="ignore", divide="ignore"):
                diff = np.where(np.isnan(want) & np.isnan(got), 0.0, np.abs(got - want))
                rel = float(np.nanmax(diff / np.maximum(np.abs(want), 1e-12)))
            top = float(np.nanmax(diff))
            if top > worst_abs or not where:
                worst_abs, where = top, f"{check}/{name}"
            worst_rel = max(worst_rel, rel)
    return worst_abs, worst_rel, where


def within(exercise: Exercise, stored: Stored, live: Stored) -> bool:
    """Every live value within the exercise's equivalent tolerance of the stored one."""
    assert exercise.equivalent is not None
    atol, rtol = exercise.equivalent.atol, exercise.equivalent.rtol
    return all(np.allclose(np.asarray(v, np.float64), np.asarray(stored[c][f], np.float64), atol=atol, rtol=rtol,
                           equal_nan=True)
               for c, fields in live.items() for f, v in fields.items())


def compare_exercise(exercise: Exercise, device: str) -> tuple[str, bool]:
    """One printed row: the live values on ``device`` against the stored CPU values."""
    import tensorflow as tf

    stored, stored_info = read_store(exercise)
    started = time.perf_counter()
    with tf.device(device):
        live, info = compute_live(exercise, exercise.checks, [c.case() for c in exercise.checks])
    seconds = time.perf_counter() - started
    worst_abs, worst_rel, where = largest_difference(stored, live)
    ok = within(exercise, stored, live)
    row = (f"{exercise.id:<12} {info.device or device:<44} {worst_abs:>10.3g} {worst_rel:>10.3g}  "
           f"{'ok' if ok else 'TOO FAR'}  {where} ({seconds:.1f} s; stored on {stored_info.device})")
    return row, ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="gpu_equivalents.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--exercise", action="append", help="only this exercise (repeatable)")
    parser.add_argument("--cpu", action="store_true", help="compare on the CPU instead (checks the script itself)")
    args = parser.parse_args(argv)
    from grader.equivalents.tf_env import import_tensorflow

    tf = import_tensorflow()
    gpus = tf.config.list_physical_devices("GPU")
    if not gpus and not args.cpu:
        print(f"No GPU is visible to TensorFlow {tf.__version__} (tf.config.list_physical_devices('GPU') is empty; "
              f"built with CUDA: {tf.test.is_built_with_cuda()}): nothing to compare. Install the GPU build "
              "(README, 'TensorFlow on a GPU') on a machine with an NVIDIA GPU and run this again.")
        return 0
    device = "/CPU:0" if args.cpu else "/GPU:0"
    if gpus:
        tf.config.experimental.enable_tensor_float_32_execution(False)
        assert not tf.config.experimental.tensor_float_32_execution_enabled()
    names = ", ".join(d.name for d in gpus) or "none"
    tf32 = ("on" if tf.config.experimental.tensor_float_32_execution_enabled() else "off") if gpus else "n/a on a CPU"
    print(f"TensorFlow {tf.__version__}; GPUs: {names}; TF32 {tf32}; comparing on {device}")
    exercises = [get_exercise(e) for e in args.exercise] if args.exercise else list(all_exercises())
    print(f"{'exercise':<12} {'device':<44} {'max |diff|':>10} {'max rel':>10}  result  where")
    all_ok = True
    for exercise in exercises:
        if exercise.equivalent is None or not exercise.store.exists():
            print(f"{exercise.id:<12} (no stored equivalents)")
            continue
        row, ok = compare_exercise(exercise, device)
        print(row, flush=True)
        all_ok &= ok
    return 0 if all_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
