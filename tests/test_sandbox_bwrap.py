"""The bubblewrap profile (grader/sandbox/bwrap.py): what a sandboxed command can see and do."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from grader.sandbox.bwrap import Profile, bwrap_argv, find_bwrap, python_binds

BWRAP = find_bwrap()
needs_bwrap = pytest.mark.skipif(BWRAP is None, reason="bubblewrap is not available")

LOOK = r"""
import json, os, socket
out = {"uid": os.getuid(), "pid": os.getpid(), "cwd": os.getcwd(), "root": sorted(os.listdir("/")),
       "procs": sorted(p for p in os.listdir("/proc") if p.isdigit()), "env": sorted(os.environ)}
for path in ("/sandbox/work/w", "/tmp/w", "/dev/shm/w", "/usr/w", os.path.realpath(os.sys.prefix) + "/w"):
    try:
        open(path, "w").close()
        out[path] = "written"
    except OSError as exc:
        out[path] = type(exc).__name__
sock = socket.socket()
sock.settimeout(1)
try:
    sock.connect(("127.0.0.1", int(os.sys.argv[1])))
    out["net"] = "connected"
except OSError as exc:
    out["net"] = type(exc).__name__
print(json.dumps(out))
"""


def test_argv_has_the_namespaces_and_private_folders():
    argv = bwrap_argv(["/usr/bin/true"], profile=Profile(ro_binds=(("/usr", "/usr"),)), bwrap="/x/bwrap",
                      as_root=False)
    for flag in ("--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
                 "--die-with-parent", "--new-session", "--disable-userns"):
        assert flag in argv
    assert argv[-2:] == ["--", "/usr/bin/true"]
    tmpfs = [argv[i + 1] for i, a in enumerate(argv) if a == "--tmpfs"]
    assert {"/tmp", "/dev/shm", "/sandbox/work"} <= set(tmpfs)


def test_as_root_the_command_runs_as_nobody_through_setpriv():
    argv = bwrap_argv(["/usr/bin/true"], profile=Profile(ro_binds=(("/usr", "/usr"),)), bwrap="/x/bwrap",
                      as_root=True, setpriv="/usr/bin/setpriv")
    drop = argv.index("/usr/bin/setpriv")
    assert "--reuid=65534" in argv[drop:] and "--bounding-set=-all" in argv[drop:]
    assert argv.index("--unshare-user") > drop  # the user namespace is made after the uid is dropped


def test_a_bind_over_the_working_folder_is_refused():
    with pytest.raises(ValueError, match="overlaps"):
        bwrap_argv(["/usr/bin/true"], profile=Profile(ro_binds=(("/srv", "/sandbox"),)), bwrap="/x/bwrap")


@needs_bwrap
def test_the_sandbox_sees_only_its_binds_has_no_network_and_cannot_write_outside(tmp_path):
    import json
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    argv = bwrap_argv([sys.executable, "-I", "-c", LOOK, str(port)], profile=Profile(ro_binds=python_binds()),
                      bwrap=BWRAP)
    proc = subprocess.run(argv, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}, timeout=30)
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout)
    with pytest.raises(BlockingIOError):
        listener.accept()
    listener.close()
    assert seen["net"] != "connected"
    assert seen["cwd"] == "/sandbox/work"
    assert seen["pid"] < 10 and len(seen["procs"]) < 5  # its own pid namespace
    assert "work" not in seen["root"] or os.path.realpath(sys.prefix).startswith("/work")
    assert seen["/sandbox/work/w"] == seen["/tmp/w"] == seen["/dev/shm/w"] == "written"
    assert seen["/usr/w"] != "written" and seen[os.path.realpath(sys.prefix) + "/w"] != "written"
    assert set(seen["env"]) <= {"PATH", "PWD", "LC_CTYPE"}  # PWD from bwrap, LC_CTYPE from Python itself
    if os.geteuid() == 0:
        assert seen["uid"] == 65534
    assert not (tmp_path / "w").exists()


def test_dev_null_opens_inside_the_sandbox():  # subprocess.DEVNULL in student code, ipykernel, test cells
    bwrap = find_bwrap()
    if bwrap is None:
        pytest.skip("no bubblewrap")
    code = "import subprocess, sys; open('/dev/null', 'w').write('x'); print(subprocess.run(['/usr/bin/true'], stdin=subprocess.DEVNULL).returncode)"
    argv = bwrap_argv([sys.executable, "-I", "-c", code], profile=Profile(ro_binds=python_binds()), bwrap=bwrap)
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == "0", proc.stderr


@needs_bwrap
def test_an_interpreter_under_tmp_stays_visible_and_tmp_stays_private(tmp_path):
    """A venv (or a project) below /tmp, as in a CI job or the release test: its bind lands on top of the
    private /tmp instead of being covered by it, and the rest of the host's /tmp is still not visible."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    (tmp_path / "secret.txt").write_text("host tmp")
    code = ("import os, sys; print(sys.prefix); print(sorted(os.listdir(os.path.dirname(sys.prefix)))); "
            f"open('/tmp/{tmp_path.name}-w', 'w').close()")
    profile = Profile(ro_binds=(*python_binds(), (str(venv), str(venv))))
    proc = subprocess.run(bwrap_argv([str(venv / "bin" / "python"), "-I", "-c", code], profile=profile, bwrap=BWRAP),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    prefix, listing = proc.stdout.splitlines()
    assert prefix == str(venv) and listing == "['venv']"  # secret.txt beside it is not visible
    assert not os.path.exists(f"/tmp/{tmp_path.name}-w")  # its /tmp is its own
