"""Speed and memory of exercise-02's ``load_embed`` on a full-size GloVe file (glove.6B.100d: 400,000 x 100).

Writes the file with :func:`grader.datagen.write_glove_file` into a temporary directory, then loads it with
the reference ``load_embed`` and with the chapter's naive loader (one ``np.asarray(values[1:],
dtype='float32')`` per line). Every load runs in a fresh subprocess, which reports its time and its peak
RSS (``resource.getrusage(RUSAGE_SELF).ru_maxrss``) before and after loading. This process imports only
the standard library, because a child's ru_maxrss starts from its parent's RSS at fork time. Prints the median time over
``--runs`` runs and the largest peak RSS.

    .venv/bin/python bench/bench_load_embed.py [--runs 3] [--words 400000] [--dim 100]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "solutions" / "exercise_02_embeddings.py"

CHILD = r'''
import importlib.util, json, resource, sys, time
import numpy as np

def naive(path):
    """The chapter's loader."""
    embedding_map = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            values = line.split()
            word = values[0]
            coefs = np.asarray(values[1:], dtype="float32")
            embedding_map[word] = coefs
    return embedding_map

which, path, reference = sys.argv[1:4]
if which == "reference":
    spec = importlib.util.spec_from_file_location("reference", reference)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    load = module.load_embed
else:
    load = naive
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
embedding_map = load(path)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
checksum = float(sum(float(v.astype(np.float64).sum()) for v in embedding_map.values()))
dtypes = sorted({str(v.dtype) for v in embedding_map.values()})
print(json.dumps({"seconds": seconds, "before_kib": before, "peak_kib": peak, "words": len(embedding_map),
                  "checksum": checksum, "dtypes": dtypes}))
'''


def write_file(path: Path, words: int, dim: int) -> None:
    """Write the file in a subprocess: ru_maxrss survives fork and exec, so this process must stay small
    (standard library only) for the children's figures to be their own."""
    code = ("import sys; from grader.datagen import write_glove_file; "
            "write_glove_file(sys.argv[1], n_words=int(sys.argv[2]), dim=int(sys.argv[3]))")
    subprocess.run([sys.executable, "-c", code, str(path), str(words), str(dim)], check=True, cwd=ROOT)


def measure(which: str, path: Path) -> dict[str, object]:
    """One load in a fresh interpreter: its time, peak RSS and a checksum of what it loaded."""
    out = subprocess.run([sys.executable, "-c", CHILD, which, str(path), str(REFERENCE)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(name: str, runs: list[dict[str, object]]) -> float:
    times = [float(r["seconds"]) for r in runs]  # type: ignore[arg-type]
    peak = max(int(r["peak_kib"]) for r in runs)  # type: ignore[call-overload]
    before = max(int(r["before_kib"]) for r in runs)  # type: ignore[call-overload]
    median = statistics.median(times)
    print(f"  {name:<10} median {median:7.2f} s over {len(times)} runs (min {min(times):.2f}, max {max(times):.2f}); "
          f"peak RSS {peak / 1024:6.0f} MiB ({(peak - before) / 1024:.0f} MiB above the {before / 1024:.0f} MiB "
          f"before loading); {runs[0]['words']} words, dtypes {runs[0]['dtypes']}")
    return median


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--words", type=int, default=400_000)
    parser.add_argument("--dim", type=int, default=100)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-glove-") as tmp:
        path = Path(tmp) / f"glove.{args.words}x{args.dim}.txt"
        start = time.perf_counter()
        write_file(path, args.words, args.dim)
        print(f"load_embed on a generated GloVe file: {args.words:,} words x {args.dim} values, "
              f"{path.stat().st_size / 2**20:.0f} MiB (written in {time.perf_counter() - start:.1f} s)")
        results = {which: [measure(which, path) for _ in range(args.runs)] for which in ("reference", "naive")}
    ref, naive = report("reference", results["reference"]), report("naive", results["naive"])
    agree = (results["reference"][0]["words"] == results["naive"][0]["words"]
             and results["reference"][0]["checksum"] == results["naive"][0]["checksum"])
    print(f"  the reference is {naive / ref:.1f}x as fast as the chapter's naive loader; "
          f"the two results {'agree' if agree else 'DIFFER'} (word count and sum of every value)")
    return 0 if agree and ref < naive else 1


if __name__ == "__main__":
    raise SystemExit(main())
