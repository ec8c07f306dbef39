"""Explainers for exercise-08 that name a layer and its difference (``Explain("layer_types")`` and so on).

The probes number layers from 1 (the ``InputLayer`` left out), as the contract lists them, and return
``{"layer N": ...}`` mappings; these functions compare the student's with the expected outputs (from the
answer key) and say, for example, "Layer 3 (the second SimpleRNN) has dropout 0.0, expected 0.5." They are
answer-free, like every function of :mod:`grader.explainers`, which registers them (``KERAS_EXPLAINERS``).
Their sentences are written in ``tr``'s language (grader/i18n.py); layer types, keys and values stay as they are.
"""
from __future__ import annotations

import difflib
from collections import Counter
from typing import Any, Mapping

from grader.i18n import N_, Translator, translator
from grader.model import Value
from grader.spec import Case

ORDINALS = (N_("the first %(kind)s"), N_("the second %(kind)s"), N_("the third %(kind)s"), N_("the fourth %(kind)s"),
            N_("the fifth %(kind)s"), N_("the sixth %(kind)s"), N_("the seventh %(kind)s"), N_("the eighth %(kind)s"),
            N_("the ninth %(kind)s"))
RETURN_SEQUENCES = N_("the first SimpleRNN must return sequences: the second one receives [batch, units] instead of "
                      "[batch, time, units]; pass return_sequences=True to the first SimpleRNN only")
MAX_SENTENCES = 4


def plain(value: Value | None) -> Any:
    """A decoded value as plain Python data (str, bool, int, float, None, lists and dicts)."""
    if value is None or value.kind in ("none", "forbidden"):
        return None
    if value.kind == "str":
        return value.text
    if value.kind == "bool":
        return bool(value.data)
    if value.kind in ("scalar", "array") and value.data is not None:
        number = float(value.data)
        return int(number) if value.type_name in ("int", "bool") else number
    if value.kind == "sequence":
        return [plain(v) for v in value.items]
    if value.kind == "mapping":
        return {k: plain(v) for k, v in zip(value.keys, value.items)}
    return None


def _layers(value: Value | None) -> list[Any]:
    data = plain(value)
    return list(data.values()) if isinstance(data, dict) else []


def layer_names(types: list[str], configs: list[Any], tr: Translator | None = None) -> list[str]:
    """``["the Embedding", "the first SimpleRNN", ..., "Dense(1)"]`` for the reference's layers."""
    tr = tr or translator()
    counts, seen, out = Counter(types), Counter(), []
    for k, kind in enumerate(types):
        seen[kind] += 1
        config = configs[k] if k < len(configs) and isinstance(configs[k], dict) else {}
        if kind == "Dense" and "units" in config:
            out.append(f"Dense({config['units']})")
        elif counts[kind] > 1:
            out.append(tr.text(ORDINALS[min(seen[kind], len(ORDINALS)) - 1]) % {"kind": kind})
        else:
            out.append(tr._("the %(kind)s", kind=kind))
    return out


def _article(kind: str, tr: Translator) -> str:
    """``a Dense``, ``an Embedding``, ``an LSTM`` (an acronym is read letter by letter), ``a GRU``."""
    acronym = kind[:2].isupper()
    vowel = kind[:1].upper() in ("AEFHILMNORSX" if acronym else "AEIOU")
    return tr._("an %(kind)s", kind=kind) if vowel else tr._("a %(kind)s", kind=kind)


def _sentence(parts: list[str], tr: Translator) -> str:
    """Each part as a sentence of its own (at most ``MAX_SENTENCES``, then how many more)."""
    shown = [tr._("%(difference)s.", difference=p[:1].upper() + p[1:]) for p in parts[:MAX_SENTENCES]]
    if len(parts) > MAX_SENTENCES:
        shown.append(tr.ngettext("(%(n)s more difference not shown.)", "(%(n)s more differences not shown.)",
                                 len(parts) - MAX_SENTENCES))
    return " ".join(shown)


def layer_types(case: Case, got: Mapping[str, Value], expected: Mapping[str, Value], *, args: Mapping[str, Any],
                data: Mapping[str, Any], tr: Translator | None = None) -> str | None:
    """Which layers are missing, extra or of another type, aligned with the contract's list."""
    tr = tr or translator()
    mine, want = [str(t) for t in _layers(got.get("types"))], [str(t) for t in _layers(expected.get("types"))]
    if mine == want or not want:
        return None
    names = layer_names(want, _layers(expected.get("config")), tr)
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=want, b=mine, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            if i < i2 and j < j2:
                parts.append(tr._("your layer %(index)s is %(kind)s where the contract has %(name)s", index=j + 1,
                                  kind=_article(mine[j], tr), name=names[i]))
            elif i < i2 and j1 > 0:
                parts.append(tr._("%(name)s (layer %(index)s of the contract) is missing after your layer %(after)s "
                                  "(%(kind)s)", name=names[i], index=i + 1, after=j1, kind=mine[j1 - 1]))
            elif i < i2:
                parts.append(tr._("%(name)s (layer %(index)s of the contract) is missing at the start", name=names[i],
                                  index=i + 1))
            else:
                parts.append(tr._("your layer %(index)s (%(kind)s) is extra", index=j + 1, kind=mine[j]))
    if mine:
        listing = tr._("The contract's layers are %(want)s; yours are %(mine)s.", want=", ".join(want),
                       mine=", ".join(mine))
    else:
        listing = tr._("The contract's layers are %(want)s; yours are none.", want=", ".join(want))
    return tr._("%(diagnosis)s %(explanation)s", diagnosis=listing, explanation=_sentence(parts, tr))


def _fmt(value: Any) -> str:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        return abs(float(a) - float(b)) <= 1e-6
    return a == b


def _difference(name: str, kind: str, key: str, mine: Any, want: Any, *, is_first_rnn: bool, tr: Translator) -> str:
    if kind == "SimpleRNN" and key == "return_sequences":
        if want is True and is_first_rnn:
            return tr.text(RETURN_SEQUENCES)
        if want is False:
            return tr._("%(name)s must not return sequences: it hands the Dense layer its last state [batch, units], "
                        "not [batch, time, units]; leave return_sequences=False", name=name)
    if key == "activation" and mine == "linear" and want != "linear":
        return tr._("%(name)s has no %(activation)s: pass activation=\"%(activation)s\"", name=name, activation=want)
    label = name[:1].lower() + name[1:]
    return tr._("%(name)s has %(key)s %(got)s, expected %(want)s", name=label, key=key, got=_fmt(mine),
                want=_fmt(want))


def layer_config(case: Case, got: Mapping[str, Value], expected: Mapping[str, Value], *, args: Mapping[str, Any],
                 data: Mapping[str, Any], tr: Translator | None = None) -> str | None:
    """Every configuration entry that differs, named by layer (once the layer types match)."""
    tr = tr or translator()
    mine_types, want_types = _layers(got.get("types")), _layers(expected.get("types"))
    if mine_types != want_types:
        return None  # the layer check explains it, and this check's report starts with it (Check.depends)
    mine, want = _layers(got.get("config")), _layers(expected.get("config"))
    names = layer_names([str(t) for t in want_types], want, tr)
    first_rnn = next((k for k, t in enumerate(want_types) if t == "SimpleRNN"), -1)
    parts = []
    for k, (theirs, ours) in enumerate(zip(mine, want)):
        if not isinstance(theirs, dict) or not isinstance(ours, dict):
            continue
        for key, value in ours.items():
            if not _same(theirs.get(key), value):
                parts.append(_difference(tr._("layer %(index)s (%(name)s)", index=k + 1, name=names[k]),
                                         str(want_types[k]), key, theirs.get(key), value, is_first_rnn=k == first_rnn,
                                         tr=tr))
    return _sentence(parts, tr) if parts else None


def _shapes(shapes: Any, tr: Translator) -> str:
    if not shapes:
        return tr._("no weights")
    return ", ".join("(" + ", ".join(str(n) for n in s) + ("," if len(s) == 1 else "") + ")" for s in shapes)


def layer_weights(case: Case, got: Mapping[str, Value], expected: Mapping[str, Value], *, args: Mapping[str, Any],
                  data: Mapping[str, Any], tr: Translator | None = None) -> str | None:
    """The first layer whose weights do not have the reference's shapes (so set_weights cannot copy them)."""
    tr = tr or translator()
    mine, want = _layers(got.get("weight_shapes")), _layers(expected.get("weight_shapes"))
    if mine == want:
        return None
    names = layer_names([str(t) for t in _layers(expected.get("types"))], [], tr)
    for k, ours in enumerate(want):
        theirs = mine[k] if k < len(mine) else None
        if theirs != ours:
            name = names[k] if k < len(names) else tr._("layer %(index)s", index=k + 1)
            return tr._("Layer %(index)s (%(name)s in the contract) has weights of shapes %(got)s; the reference's "
                        "are %(want)s.", index=k + 1, name=name, got=_shapes(theirs, tr), want=_shapes(ours, tr))
    return tr._("Your model has %(got)s layers with weights after the contract's %(want)s.", got=len(mine),
                want=len(want))


KERAS_EXPLAINERS = {f.__name__: f for f in (layer_types, layer_config, layer_weights)}
