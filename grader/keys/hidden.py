"""Hidden answer keys: fresh cases from the instructor's secret seed (instructor side only, never shipped).

A hidden key is compiled from the spec and ``solutions/`` like a public one, for the hideable checks with
seeds derived from the secret (:func:`grader.spec.hidden_checks`), and cached outside the package:
``$RNN_GRADER_KEY_CACHE`` or ``~/.cache/rnn-grader/hidden-keys/``. The file name is a hash of the secret
and of the key's sources, so the secret cannot be read off it and a changed spec or reference gives a
new key. A student release has no specs and no solutions, so it cannot build one.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from grader.errors import UsageError
from grader.keys.model import VERSION, AnswerKey, KeyFileError, answer_key
from grader.keys.pack import write_npz
from grader.spec import hidden_checks

_CACHE: dict[str, AnswerKey] = {}


def cache_dir() -> Path:
    configured = os.environ.get("RNN_GRADER_KEY_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "rnn-grader" / "hidden-keys"


def _write(folder: Path, stem: str, document: dict, arrays: dict) -> None:
    """Write the npz, then the JSON, each through a temporary file and a rename (readers need both).

    Owner-only (folder 0700, files 0600): a sandboxed child runs as another user and cannot read them.
    """
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for suffix, write in ((".npz", lambda p: write_npz(p, arrays)),
                          (".json", lambda p: p.write_text(json.dumps(document), encoding="utf-8"))):
        fd, tmp = tempfile.mkstemp(prefix=f".{stem}-", suffix=suffix, dir=folder)
        os.close(fd)
        try:
            write(Path(tmp))
            os.chmod(tmp, 0o600)
            os.replace(tmp, folder / f"{stem}{suffix}")
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)


def hidden_key(exercise_id: str, secret: int) -> AnswerKey:
    """The hidden key of one exercise for one secret seed: read from the cache, or compiled and cached now."""
    from grader.keys.load import read_key

    try:
        from grader.keys.build import compile_key, fingerprint
        from grader.specs import get_exercise
        spec = get_exercise(exercise_id)
    except (ImportError, KeyError):
        raise UsageError("hidden cases are graded on the instructor's side: this package has no specs or "
                         "solutions to build their answer key from") from None
    if not spec.reference.is_file():
        raise UsageError(f"hidden cases need the reference solution {spec.reference.name}, which is not here")
    tag = hashlib.sha256(json.dumps({"secret": int(secret), "version": VERSION, "sources": fingerprint(spec)},
                                    sort_keys=True).encode()).hexdigest()[:24]
    stem = f"{exercise_id}-{tag}"
    if stem in _CACHE:
        return _CACHE[stem]
    folder = cache_dir()
    try:
        key = read_key(stem, folder)
    except KeyFileError:
        document, arrays = compile_key(spec, hidden_checks(spec, int(secret)), hidden=True)
        try:
            _write(folder, stem, document, arrays)
        except OSError:
            pass  # an unwritable cache only costs the rebuild next time
        key = answer_key(document, arrays, where=f"the hidden key of {exercise_id}")
    _CACHE[stem] = key
    return key
