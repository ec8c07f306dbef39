"""Speed of grading inside Jupyter: ``%grade exercise-03`` in a real IPython kernel, once the extension is
loaded (goal: a median of at most 0.5 s), ``%%grade`` of one cell, and what ``%load_ext grader`` costs.

The kernel is started with jupyter_client, as JupyterLab, Notebook 7 and VS Code start it; each timing is
from sending the cell to the kernel going idle, so it includes rendering and sending the HTML report.
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parent.parent
RUNS = 9
LOAD = textwrap.dedent("""
    import sys, time
    from IPython.testing.globalipapp import start_ipython
    shell = start_ipython()
    before = set(sys.modules)
    start = time.perf_counter()
    shell.run_line_magic("load_ext", "grader")
    seconds = time.perf_counter() - start
    heavy = sorted(m for m in ("tensorflow", "keras", "sklearn", "jinja2") if m in sys.modules)
    print(seconds, len(set(sys.modules) - before), ",".join(heavy) or "-")
""")


def notebook(folder: Path, edit: int = 0) -> Path:
    """The reference as a notebook; ``edit`` changes one comment, as a student's save after an edit would."""
    reference = (ROOT / "solutions/exercise_03_rnn_cell.py").read_text(encoding="utf-8")
    cells = [{"cell_type": "code", "source": s, "metadata": {}, "outputs": [], "execution_count": None}
             for s in ("%load_ext grader", f"{reference}\n# edit {edit}", "%grade exercise-03")]
    path = folder / "exercise-03.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def timed(client: object, code: str) -> tuple[float, str]:
    outputs: list[str] = []

    def keep(msg: dict) -> None:
        outputs.append(json.dumps(msg.get("content", {}).get("data", {}).get("text/plain", "")))

    start = time.perf_counter()
    reply = client.execute_interactive(code, timeout=120, output_hook=keep)  # type: ignore[attr-defined]
    seconds = time.perf_counter() - start
    assert reply["content"]["status"] == "ok", reply["content"]
    return seconds, " ".join(outputs)


def main() -> None:
    load = subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True, cwd=ROOT, check=True)
    seconds, modules, heavy = load.stdout.split()
    print(f"%load_ext grader: {float(seconds) * 1000:.0f} ms in an IPython that is already running; "
          f"{modules} modules imported; heavy modules loaded: {heavy.replace('-', 'none')}")
    with tempfile.TemporaryDirectory() as tmp:
        path = notebook(Path(tmp))
        manager, client = start_new_kernel(kernel_name="python3", cwd=tmp, env={"JPY_SESSION_NAME": str(path),
                                                                                "PATH": str(Path(sys.executable).parent)})
        try:
            first, _ = timed(client, "%load_ext grader")
            cold, text = timed(client, "%grade exercise-03")
            assert "Score: 18/18" in text, text[:300]
            times = []
            for run in range(1, RUNS + 1):  # an edited, saved file each time: graded for real
                notebook(Path(tmp), run)
                times.append(timed(client, "%grade exercise-03")[0])
            repeats = [timed(client, "%grade exercise-03")[0] for _ in range(RUNS)]  # unchanged: the kept report
            cell = "%%grade exercise-03\n" + (ROOT / "solutions/exercise_03_rnn_cell.py").read_text(encoding="utf-8")
            cells = [timed(client, cell)[0] for _ in range(5)]
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    print(f"%load_ext grader in the kernel: {first:.3f} s; first %grade exercise-03: {cold:.3f} s")
    print(f"%grade exercise-03 (extension loaded, file edited and saved): median {statistics.median(times):.3f} s "
          f"over {RUNS} runs (min {min(times):.3f}, max {max(times):.3f}; goal <= 0.5 s)")
    print(f"%grade exercise-03 (file unchanged since the last grade): median {statistics.median(repeats):.3f} s")
    print(f"%%grade exercise-03 (one cell): median {statistics.median(cells):.3f} s over 5 runs")


if __name__ == "__main__":
    main()
