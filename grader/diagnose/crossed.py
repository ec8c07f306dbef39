"""Crossed outputs: a wrong output that holds exactly what *another* output of the same check should be.

Returning ``(ht, o)`` where the contract says ``(o, ht)``, or storing a value under the wrong name, fails every
field involved with a plain "does not match" or a shape error. When the student's value of one field equals the
expected value of another field (same shape, within that field's tolerance), the cause is certain: the outputs
are swapped or mixed up. Only arrays with at least two distinct expected values count, so that a coincidence
between two small numbers is never claimed. Nothing numeric is quoted, so this is said for hidden cases too.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from grader.i18n import Translator
from grader.model import Value
from grader.spec import Field
from grader.structural import value_close


def _array(value: Value | None) -> np.ndarray | None:
    if value is None or value.kind != "array" or value.data is None:
        return None
    data = np.asarray(value.data)
    return data if data.size >= 2 and np.unique(np.round(data[np.isfinite(data)], 12)).size >= 2 else None


def crossed_cause(field: Field, *, fields: Sequence[Field], got: Mapping[str, Value],
                  expected: Mapping[str, Value], tr: Translator) -> str | None:
    """The sentence "``field`` holds what ``other`` should be" (and the other way round, when both are crossed)."""
    if field.kind != "array":
        return None
    mine, own = got.get(field.name), _array(expected.get(field.name))
    for other in fields:
        if other.name == field.name or other.against or other.kind != "array":
            continue
        target = _array(expected.get(other.name))
        if target is None or not value_close(mine, target, atol=field.atol, rtol=field.rtol):
            continue
        swapped = own is not None and value_close(got.get(other.name), own, atol=other.atol, rtol=other.rtol)
        if swapped:
            return tr._("your %(this)s holds what %(other)s should be, and your %(other)s what %(this)s should be: "
                        "the two are swapped (returned in the wrong order, or assigned to each other's name)",
                        this=field.name, other=other.name)
        return tr._("your %(this)s holds exactly what %(other)s should be: the wrong variable is returned or stored "
                    "here", this=field.name, other=other.name)
    return None
