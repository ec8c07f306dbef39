"""The sandboxed nbgrader kernel, driven directly through jupyter_client (no nbgrader run): what a cell can
see and do, that nothing outlives the kernel, the wall-clock budget, and the refusals of the launcher."""
from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path

import pytest

from grader.integrations.nbgrader import kernel as launcher
from grader.sandbox.bwrap import find_bwrap

needs_bwrap = pytest.mark.skipif(find_bwrap() is None, reason="bubblewrap is not available")
MARKER = "rnn-grader-kernel-test-daemon-c41d"
PROBE = f"""
import json, os, subprocess, sys
seen = {{"uid": os.getuid(), "cwd": os.getcwd(), "files": sorted(os.listdir(".")), "env": sorted(os.environ)}}
for path in ("../rnn_grader.json", {{secret!r}}, "/proc/1/environ"):
    try:
        open(path, "rb").read(); seen[path] = "READ"
    except Exception as exc:
        seen[path] = type(exc).__name__
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)  # {MARKER}"], start_new_session=True)
import mmap
try:  # address space only: nothing is touched, so without the cap this costs no memory
    block = mmap.mmap(-1, 5 * 2**30); seen["5 GiB"] = "MAPPED"; block.close()
except OSError as exc:
    seen["5 GiB"] = type(exc).__name__
print(json.dumps(seen))
"""


def _left(marker: str) -> list[Path]:
    found = []
    for path in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if marker.encode() in path.read_bytes():
                found.append(path)
        except OSError:
            pass
    return found


async def _session(cwd: Path, code: str, *, wait_s: float = 0.0) -> tuple[list[str], bool]:
    from grader.integrations.nbgrader.execute import SandboxedKernelManager

    km = SandboxedKernelManager(kernel_name="python3")  # the notebook's name is ignored
    await km.start_kernel(cwd=str(cwd), env={**os.environ, "NBGRADER_EXECUTION": "autograde"})
    out: list[str] = []
    try:
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=90)
        await kc.execute_interactive(code, timeout=60, output_hook=lambda m: out.append(m["content"].get("text", "")))
        kc.stop_channels()
        if wait_s:
            await asyncio.sleep(wait_s)
        alive = await km.is_alive()
    finally:
        await km.shutdown_kernel(now=True)
    return out, alive


@pytest.fixture
def course(tmp_path: Path) -> Path:
    (tmp_path / "rnn_grader.json").write_text(json.dumps({"hidden_seed": 99, "kernel_budget_s": 25,
                                                          "kernel_memory_mb": 3072}))
    notebook = tmp_path / "alice"
    notebook.mkdir()
    (notebook / "data.txt").write_text("assignment file")
    (notebook / "link.txt").symlink_to(tmp_path / "rnn_grader.json")
    return notebook


@needs_bwrap
def test_a_cell_sees_only_its_folder_copy_and_its_daemon_dies_with_the_kernel(course: Path):
    secret = course.parent / "rnn_grader.json"
    out, alive = asyncio.run(_session(course, PROBE.replace("{secret!r}", repr(str(secret)))))
    seen = json.loads("".join(out))
    assert alive and seen["cwd"] == launcher.INSIDE_NOTEBOOK and seen["files"] == ["data.txt"]
    assert seen["../rnn_grader.json"] != "READ" and seen[str(secret)] != "READ", seen
    assert seen["5 GiB"] == "OSError", seen  # ENOMEM: the kernel's address-space cap (kernel_memory_mb)
    if os.geteuid() == 0:
        assert seen["uid"] == 65534
    assert not {"RNN_GRADER_HIDDEN_SEED", "NBGRADER_DB_URL"} & set(seen["env"])
    deadline = time.monotonic() + 10
    while _left(MARKER) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _left(MARKER) == [], "the daemon outlived the kernel"


@needs_bwrap
def test_the_kernel_is_stopped_at_its_wall_clock_budget(course: Path):
    (course.parent / "rnn_grader.json").write_text(json.dumps({"hidden_seed": 99, "kernel_budget_s": 3}))
    _, alive = asyncio.run(_session(course, "import signal; signal.signal(signal.SIGINT, signal.SIG_IGN)", wait_s=8))
    assert not alive


def test_the_launcher_refuses_without_bubblewrap_or_ipc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]):
    connection = tmp_path / "kernel.json"
    connection.write_text(json.dumps({"transport": "tcp", "ip": "127.0.0.1"}))
    monkeypatch.setattr("grader.sandbox.bwrap.find_bwrap", lambda: None)
    assert launcher.launch(["-f", str(connection)], cwd=tmp_path, env={}) == 1
    assert "bubblewrap is not available" in capsys.readouterr().err
    monkeypatch.setattr("grader.sandbox.bwrap.find_bwrap", lambda: "/usr/bin/bwrap")
    assert launcher.launch(["-f", str(connection)], cwd=tmp_path, env={}) == 2
    assert "needs the ipc transport" in capsys.readouterr().err


def test_the_folder_copy_leaves_out_links_fifos_and_secrets(tmp_path: Path):
    src, dest = tmp_path / "src", tmp_path / "dest"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "ok.csv").write_text("1,2")
    (src / "rnn_grader.json").write_text("{}")
    (src / "other").symlink_to(tmp_path, target_is_directory=True)
    (src / "link.py").symlink_to(src / "sub" / "ok.csv")
    os.mkfifo(src / "pipe")
    launcher.copy_folder(src, dest)
    assert sorted(str(p.relative_to(dest)) for p in dest.rglob("*")) == ["sub", "sub/ok.csv"]
    (src / "big.bin").write_bytes(b"0" * 2048)
    with pytest.raises(OSError, match="more than"):
        launcher.copy_folder(src, tmp_path / "dest2", limit=1024)


def test_the_kernels_memory_cap_comes_from_the_course_config():
    assert launcher.kernel_memory_mb({}) == launcher.KERNEL_MEMORY_MB
    assert launcher.kernel_memory_mb({"kernel_memory_mb": 4096}) == 4096
    assert launcher.kernel_memory_mb({"kernel_memory_mb": True}) == launcher.KERNEL_MEMORY_MB
    assert launcher.kernel_memory_mb({"kernel_memory_mb": "lots"}) == launcher.KERNEL_MEMORY_MB


def test_the_cells_grade_with_the_required_sandbox_under_nbgrader_and_say_one_line_without_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import nbformat

    from grader.integrations.nbgrader import cell

    assert cell.sandbox_mode({"NBGRADER_EXECUTION": "autograde"}, {}) == "required"
    assert cell.sandbox_mode({"NBGRADER_EXECUTION": "validate"}, {}) == "required"
    assert cell.sandbox_mode({}, {}) == "auto"  # a student running the tests in their own Jupyter
    assert cell.sandbox_mode({"NBGRADER_EXECUTION": "autograde"}, {"sandbox": "auto"}) == "auto"
    source = (Path(__file__).resolve().parent.parent / "solutions" / "exercise_03_rnn_cell.py").read_text()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)]), tmp_path / "exercise-03.ipynb")
    monkeypatch.setattr("grader.sandbox.bwrap.find_bwrap", lambda: None)
    lines = cell.run("exercise-03", "build", 1.0, fresh=True, cwd=tmp_path, env={"NBGRADER_EXECUTION": "autograde"})
    assert len(lines) == 2 and lines[-1] == "0.0", lines
    assert lines[0].startswith("FAIL  This notebook was not graded: --sandbox required") and "bubblewrap" in lines[0]
    assert "Traceback" not in lines[0]
    lines = cell.run("exercise-03", "build", 1.0, fresh=True, cwd=tmp_path, env={})
    assert lines[-1] == "1.0" and "process isolation only" in " ".join(lines), lines
