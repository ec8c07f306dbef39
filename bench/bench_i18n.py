"""Benchmark: what ``--lang zh`` adds to ``grade exercise-03`` (issue 13: at most 20 ms).

Two measurements, each as medians over interleaved runs (en, zh, en, zh, ...), so that a change of the
machine's load hits both languages alike:

* the whole command, ``grade exercise-03 --path FILE --lang en|zh`` as a fresh process (what a student
  waits for): wall-clock, the CPU time of the process with its sandboxed children, and the CPU time of the
  grade process alone (``resource``, steadier under load; the children do the same work in both languages);
* loading the compiled zh catalog (CPU time);
* in one process, after a warm-up: ``grade()`` and the four renderers (terminal, HTML, Markdown, JSON) of
  the same report, so the catalog's own cost (loading the ``.mo`` once, a lookup per sentence) is seen
  without the process start.

The submission is a failing mutant (``missing_c``: most checks fail, so most sentences are written), or
``--path FILE``. Usage: ``python bench/bench_i18n.py [--repeats 9] [--path FILE]``.
"""
from __future__ import annotations

import argparse
import gettext
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from grader.core import Options, grade  # noqa: E402
from grader.i18n import LOCALE_DIR  # noqa: E402
from grader.report.render import render_html, render_json, render_markdown, render_terminal  # noqa: E402
from grader.specs import get_exercise  # noqa: E402
from mutation import get_mutant  # noqa: E402

LANGS = ("en", "zh")
LOCALE_MO = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "messages.mo"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


SELF_CPU = ("import atexit, resource, sys; atexit.register(lambda: sys.stderr.write('SELF_CPU %r\\n' % "
            "sum(resource.getrusage(resource.RUSAGE_SELF)[:2]))); ")


def command_times(path: Path, repeats: int) -> dict[str, tuple[list[float], list[float], list[float]]]:
    """Wall-clock, CPU (with the sandboxed children) and the grade process's own CPU seconds of
    ``grade exercise-03 --path PATH --lang L``, per language."""
    grade_cmd = [sys.executable, "-c", SELF_CPU + "from grader.cli import main; sys.exit(main(sys.argv[1:]))"]
    out: dict[str, tuple[list[float], list[float], list[float]]] = {lang: ([], [], []) for lang in LANGS}
    env = {**os.environ, "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}
    for k in range(repeats + 1):
        for lang in LANGS:
            cpu, start = _children_cpu(), time.perf_counter()
            done = subprocess.run([*grade_cmd, "exercise-03", "--path", str(path), "--lang", lang], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
            wall, used = time.perf_counter() - start, _children_cpu() - cpu
            if done.returncode not in (0, 1):
                raise SystemExit(f"grade --lang {lang} failed ({done.returncode}): {done.stderr.strip()[-300:]}")
            if k:  # the first round warms the file cache
                out[lang][0].append(wall)
                out[lang][1].append(used)
                out[lang][2].append(float(done.stderr.rsplit("SELF_CPU ", 1)[1].split()[0]))
    return out


def in_process_times(path: Path, repeats: int) -> dict[str, tuple[list[float], list[float]]]:
    """Seconds of ``grade()`` and of rendering its report four ways, per language, in this process."""
    exercise = get_exercise("exercise-03")
    out: dict[str, tuple[list[float], list[float]]] = {lang: ([], []) for lang in LANGS}
    for k in range(repeats + 1):
        for lang in LANGS:
            start = time.perf_counter()
            report = grade(path, exercise, Options(lang=lang))
            graded = time.perf_counter()
            for render in (render_terminal, render_html, render_markdown, render_json):
                render(report)
            if k:
                out[lang][0].append(graded - start)
                out[lang][1].append(time.perf_counter() - graded)
    return out


def catalog_load(repeats: int) -> list[float]:
    """CPU seconds of loading the compiled zh catalog (done once per process; ``translator`` caches it)."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        with open(LOCALE_MO, "rb") as f:
            gettext.GNUTranslations(f)
        times.append(time.process_time() - start)
    return times


def _ms(values: list[float]) -> str:
    return f"{1000 * statistics.median(values):8.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--path", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.path
        if path is None:
            path = get_mutant("exercise-03", "missing_c").write(get_exercise("exercise-03").reference, Path(tmp))
        load = os.getloadavg()[0]
        whole, inner = command_times(path, args.repeats), in_process_times(path, args.repeats)
    print(f"grade exercise-03 --lang en vs --lang zh ({path.name}, {args.repeats} interleaved runs each, "
          f"load average {load:.1f} on {os.cpu_count()} CPUs at the start)")
    print(f"{'median, ms':40} {'en':>8} {'zh':>8} {'zh - en':>8}")
    rows = [("whole command, wall-clock", whole, 0), ("whole command, CPU (process + children)", whole, 1),
            ("whole command, CPU of the grade process", whole, 2), ("grade() in one process", inner, 0), ("render terminal+HTML+Markdown+JSON", inner, 1)]
    for label, data, i in rows:
        en, zh = statistics.median(data["en"][i]), statistics.median(data["zh"][i])
        print(f"{label:40} {_ms(data['en'][i])} {_ms(data['zh'][i])} {1000 * (zh - en):8.1f}")
    print(f"{'loading the zh catalog (.mo), once':40} {'':8} {_ms(catalog_load(args.repeats))}")
    added = 1000 * (statistics.median(whole["zh"][2]) - statistics.median(whole["en"][2]))
    print(f"goal: --lang zh adds at most 20 ms; measured (CPU time of the grade process, the sandboxed children's "
          f"being the same work in both languages): {added:.1f} ms")


if __name__ == "__main__":
    main()
