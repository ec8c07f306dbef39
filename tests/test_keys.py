"""Answer keys: built from the specs and solutions, stored without drift, read strictly, graded from alone."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT, check
from grader.core import Options, grade
from grader.keys import build, hidden, load
from grader.keys.commands import run_key, write_key
from grader.keys.model import VERSION, KeyFileError
from grader.keys.pack import read_npz

EX = "exercise-03"
REFERENCE = ROOT / "solutions" / "exercise_03_rnn_cell.py"


def test_stored_keys_match_the_specs_and_references(capsys):
    """The drift test: `grade key build --check` recompiles every key and compares it with grader/data/keys/."""
    assert run_key(["build", "--check"]) == 0, capsys.readouterr().out
    assert set(load.exercise_ids()) == {p.stem for p in load.KEYS_DIR.glob("exercise-*.json")}


def test_a_changed_key_is_caught_by_the_drift_check(tmp_path):
    from grader.keys.commands import differences
    from grader.specs import get_exercise

    document, arrays = build.compile_key(get_exercise(EX))
    write_key(EX, document, arrays, tmp_path)
    assert differences(EX, document, arrays, tmp_path) == []
    changed = {k: v.copy() for k, v in arrays.items()}
    changed["float64"][0] += 1e-3
    assert any("changed" in d for d in differences(EX, document, changed, tmp_path))
    hint = json.loads(json.dumps(document))
    hint["checks"][1]["hints"][0]["message"] = "another sentence"
    assert any("checks differ" in d for d in differences(EX, hint, arrays, tmp_path))


def test_rebuilding_a_key_gives_the_same_bytes(tmp_path):
    from grader.specs import get_exercise

    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        write_key(EX, *build.compile_key(get_exercise(EX)), folder)
    for name in (f"{EX}.json", f"{EX}.npz"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_a_key_holds_cases_outcomes_hints_and_equivalents():
    key = load.read_key(EX)
    step = next(k for k in key.checks if k.check.name == "forward_tanh")
    assert set(step.case.arrays) >= {"U", "W", "V", "b", "c", "xt", "ht_1"}
    assert step.expected.status == "ok" and step.expected.values["o"].shape == (3, 2)
    assert set(step.equivalent) == {"o", "ht", "y_hat"}
    w_t = next(h for h in step.check.hints if "W is transposed" in h.message)
    a = step.case.arrays
    assert np.allclose(w_t.variant(step.case)["ht"], np.tanh(a["U"] @ a["xt"].T + a["W"].T @ a["ht_1"] + a["b"]))
    raising = next(k for k in key.checks if k.check.name == "activate_unknown")
    assert raising.expected.status == "raised" and raising.expected.error.type_name == "ValueError"
    assert not any(a.flags.writeable for k in key.checks for a in k.case.arrays.values())


def test_grading_runs_no_reference_no_hint_and_no_spec():
    code = ("import sys; from grader.core import grade; r = grade(sys.argv[1], 'exercise-03'); "
            "assert r.full_marks, r.score; "
            "bad = sorted(m for m in sys.modules if m.startswith(('grader.specs.exercise', 'grader.keys.build', "
            "'grader.equivalents', 'tensorflow', '_reference')));"
            "assert not bad, bad")
    proc = subprocess.run([sys.executable, "-c", code, str(REFERENCE)], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("damage, words", [
    ("missing", "is missing"),
    ("not json", "cannot be read"),
    ("version", f"this grader reads version {VERSION}"),
    ("corrupt", "is corrupt"),
    ("truncated npz", "cannot be read"),
])
def test_a_bad_key_is_a_one_line_error(tmp_path, damage, words):
    shutil.copy(load.KEYS_DIR / f"{EX}.json", tmp_path)
    shutil.copy(load.KEYS_DIR / f"{EX}.npz", tmp_path)
    document_path, npz_path = load.key_paths(EX, tmp_path)
    document = json.loads(document_path.read_text())
    if damage == "missing":
        npz_path.unlink()
    elif damage == "not json":
        document_path.write_text("{ not json")
    elif damage == "version":
        document_path.write_text(json.dumps({**document, "version": VERSION + 1}))
    elif damage == "corrupt":
        del document["checks"][2]["expected"]
        document_path.write_text(json.dumps(document))
    else:
        npz_path.write_bytes(npz_path.read_bytes()[:100])
    with pytest.raises(KeyFileError) as error:
        load.read_key(EX, tmp_path)
    assert words in str(error.value) and "\n" not in str(error.value)


def test_a_stale_key_is_rebuilt_in_memory_with_a_note(tmp_path, monkeypatch, capsys):
    shutil.copy(load.KEYS_DIR / f"{EX}.npz", tmp_path)
    document = json.loads((load.KEYS_DIR / f"{EX}.json").read_text())
    document["sources"]["grader/probes/exercise_03.py"] = "0" * 64
    document["checks"][0]["title"] = "a title from an older spec"
    (tmp_path / f"{EX}.json").write_text(json.dumps(document))
    monkeypatch.setattr(load, "KEYS_DIR", tmp_path)
    key = load.load_key(EX)
    assert "out of date (grader/probes/exercise_03.py changed)" in capsys.readouterr().err
    assert key.checks[0].check.title != "a title from an older spec"


def test_a_value_read_from_the_public_key_loses_the_point_at_autograde(tmp_path, monkeypatch):
    """The public key is readable by design; a hard-coded value from it passes locally, the hidden key decides."""
    monkeypatch.setenv("RNN_GRADER_KEY_CACHE", str(tmp_path / "cache"))
    document = json.loads((load.KEYS_DIR / f"{EX}.json").read_text())
    record = next(c for c in document["checks"] if c.get("name") == "loss")
    flat = read_npz(load.KEYS_DIR / f"{EX}.npz")
    dtype, offset, _ = document["arrays"][record["expected"]["values"]["loss"]["data"]["$array"]]
    public = float(flat[dtype][offset])
    source = REFERENCE.read_text().replace("return float(-np.sum(y_true * np.log(y_hat)) / batch)", f"return {public!r}")
    cheat = tmp_path / "looked_up.py"
    cheat.write_text(source)
    assert check(grade(cheat, EX), "loss").passed
    result = check(grade(cheat, EX, Options(hidden_secret=7)), "loss")
    assert not result.passed and "fails a hidden case" in result.message


def test_hidden_keys_are_cached_outside_the_package_under_a_hash(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_GRADER_KEY_CACHE", str(tmp_path))
    monkeypatch.setattr(hidden, "_CACHE", {})
    secret = 424242
    key = hidden.hidden_key(EX, secret)
    assert key.hidden and all(k.check.hidden and not k.equivalent for k in key.checks)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 2 and all(str(secret) not in f for f in files), files
    assert all(p.stat().st_mode & 0o077 == 0 for p in tmp_path.iterdir())  # owner-only
    public = {k.check.name: k.case.arrays for k in load.load_key(EX).checks}
    first = key.checks[0]
    assert not np.array_equal(first.case.arrays["U"], public[first.check.name.removesuffix("-hidden")]["U"])
    monkeypatch.setattr(hidden, "_CACHE", {})
    monkeypatch.setattr(build, "compile_key", lambda *a, **k: pytest.fail("the cached hidden key was not used"))
    again = hidden.hidden_key(EX, secret)
    assert np.array_equal(again.checks[0].case.arrays["U"], first.case.arrays["U"])
    assert not list(load.KEYS_DIR.glob(f"{EX}-*"))
