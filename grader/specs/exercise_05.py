"""exercise-05: gradient clipping (clip_by_value, clip_by_norm, global_norm, clip_by_global_norm).

Every expected value is also computed by TensorFlow's function of the same name. A known mistake is
recognised by computing what it would output (``Hint``); the Inf case expects NaN everywhere.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from grader.spec import ROOT, Case, Check, Equivalent, Exercise, Field, Hint

SHAPES = ((3, 4), (5,), (2, 2), (4,))


def _l2(t: np.ndarray, axes: Any = None) -> np.ndarray:
    return np.sqrt(np.sum(np.square(t), axis=None if axes is None else axes, keepdims=True))


def _grads(rng: np.random.Generator, n: int, dtype: Any = np.float64) -> dict[str, np.ndarray]:
    return {f"g{k}": rng.normal(0, 1.0 + k, SHAPES[k]).astype(dtype) for k in range(n)}


def _total(arrays: Mapping[str, np.ndarray], layout: list) -> float:
    return float(np.sqrt(sum(np.sum(np.square(arrays[n].astype(np.float64))) for n in layout if n is not None)))


# ---- cases ----------------------------------------------------------------------------------------

def value_case(lo: float, hi: float, dtype: Any = np.float64) -> Callable[[int], Case]:
    def make(seed: int) -> Case:
        t = np.random.default_rng(seed).normal(0, 2, (4, 5)).astype(dtype)
        return Case(params={"clip_value_min": lo, "clip_value_max": hi}, arrays={"t": t})
    return make


def norm_case(ratio: float, shape: tuple[int, ...] = (3, 4), axes: Any = None, dtype: Any = np.float64,
              zero: bool = False) -> Callable[[int], Case]:
    """``clip_norm`` is ``ratio`` times the norm (of the whole array, or the geometric mean of the slices' norms)."""
    def make(seed: int) -> Case:
        if zero:
            return Case(params={"clip_norm": 1.0, "axes": axes}, arrays={"t": np.zeros(shape, dtype)})
        axis = tuple(np.atleast_1d(axes).tolist()) if axes is not None else None
        keep = next(k for k in range(len(shape)) if axis is None or k not in axis)  # slices differ in size along it
        spread = np.geomspace(0.2, 3.0, shape[keep]).reshape([-1 if k == keep else 1 for k in range(len(shape))])
        t = np.random.default_rng(seed).normal(0, 1, shape) * spread
        norms = _l2(t, axis)
        clip = round(float(ratio * np.sqrt(norms.min() * norms.max())), 4)
        return Case(params={"clip_norm": clip, "axes": axes}, arrays={"t": t.astype(dtype)})
    return make


def global_case(n: int, ratio: float, *, nones: tuple[int, ...] = (), container: str = "list", dtype: Any = np.float64,
                use: float | None = None, inf: bool = False, zero: bool = False) -> Callable[[int], Case]:
    """``n`` arrays with ``None`` inserted at ``nones``; ``clip_norm`` (and ``use_norm``) are multiples of their norm."""
    def make(seed: int) -> Case:
        rng = np.random.default_rng(seed)
        arrays = {k: np.zeros_like(v) if zero else v for k, v in _grads(rng, n, dtype).items()}
        if inf:
            arrays["g0"][tuple(rng.integers(0, s) for s in SHAPES[0])] = np.inf
        layout: list = list(arrays)
        for i in nones:
            layout.insert(i, None)
        norm = 1.0 if zero or inf else _total(arrays, layout)
        params = {"layout": layout, "container": container, "clip_norm": round(ratio * norm, 4)}
        if use is not None:
            params["use_norm"] = round(use * norm, 4)
        return Case(params=params, arrays=arrays)
    return make


def not_a_list(seed: int) -> Case:
    t = np.random.default_rng(seed).normal(0, 1, (3, 4))
    return Case(params={"layout": [], "container": "ndarray", "clip_norm": 1.0}, arrays={"t": t})


# ---- what known mistakes output (parent side) -----------------------------------------------------

def _value_np_clip(case: Case) -> Mapping[str, Any]:
    p = case.params
    return {"clipped": np.clip(case.arrays["t"], p["clip_value_min"], p["clip_value_max"])}


def _spectral(t: np.ndarray) -> float:
    """What np.linalg.norm(t, 2) gives for a matrix: its largest singular value, not the L2 norm of its entries."""
    return float(np.linalg.norm(t, 2)) if t.ndim == 2 else float(np.sqrt(np.sum(np.square(t))))


def _norm_variant(*, scale_up: bool = False, whole: bool = False, spectral: bool = False,
                  inverted: bool = False) -> Callable[[Case], Mapping[str, Any]]:
    def variant(case: Case) -> Mapping[str, Any]:
        t, clip, axes = case.arrays["t"].astype(np.float64), case.params["clip_norm"], case.params["axes"]
        if spectral and (t.ndim != 2 or axes is not None):
            return {}
        norm = _spectral(t) if spectral else _l2(t, None if whole or axes is None else tuple(np.atleast_1d(axes).tolist()))
        if inverted:
            return {"clipped": t * np.maximum(norm, clip) / clip}
        return {"clipped": t * clip / norm if scale_up else t * clip / np.maximum(norm, clip)}
    return variant


def _entries(case: Case) -> list[tuple[str, np.ndarray]]:
    return [(f"clipped_{k}", case.arrays[n].astype(np.float64)) for k, n in enumerate(case.params["layout"]) if n]


def _global_variant(mistake: str) -> Callable[[Case], Mapping[str, Any]]:
    def variant(case: Case) -> Mapping[str, Any]:
        p, norm = case.params, _total(case.arrays, case.params["layout"])
        if mistake == "spectral":
            norm = float(np.sqrt(sum(_spectral(case.arrays[n].astype(np.float64)) ** 2 for n in p["layout"] if n)))
        clip, given = p["clip_norm"], p.get("use_norm")
        used = norm if given is None or mistake == "use_ignored" else given
        if mistake == "no_sqrt":
            used = norm**2
        if mistake == "inf_zero" and np.isfinite(used):
            return {}
        if mistake == "clipped_norm" and not np.isfinite(used):
            return {}  # the clipped norm is NaN here, as many other mistakes give: the finite cases tell this one
        scale = clip / used if mistake == "scale_up" else clip / max(used, clip)
        if mistake == "inverted":
            scale = max(used, clip) / clip
        with np.errstate(invalid="ignore", divide="ignore"):
            if mistake == "per_tensor":
                return {k: g * clip / np.maximum(_l2(g), clip) for k, g in _entries(case)}
            out: dict[str, Any] = {k: g * scale for k, g in _entries(case)}
            out["norm"] = norm * scale if mistake == "clipped_norm" else used
        return out
    return variant


def _gnorm_no_sqrt(case: Case) -> Mapping[str, Any]:
    return {"norm": _total(case.arrays, case.params["layout"]) ** 2}


def _gnorm_spectral(case: Case) -> Mapping[str, Any]:
    layout = case.params["layout"]
    return {"norm": float(np.sqrt(sum(_spectral(case.arrays[n].astype(np.float64)) ** 2 for n in layout if n)))}


SPECTRAL = ("the norm is the spectral norm: np.linalg.norm(t, 2) (or ord=2) of a matrix is its largest singular "
            "value; clipping uses the L2 (Frobenius) norm of all the entries, np.sqrt(np.sum(t ** 2)), which is "
            "np.linalg.norm(t) without ord")
INVERTED = ("the clip ratio is inverted: the scale is clip_norm / max(norm, clip_norm), at most 1, but yours is "
            "max(norm, clip_norm) / clip_norm, which makes large gradients larger")


VALUE_HINTS = (Hint("clip_by_value follows np.clip, which gives clip_value_max when clip_value_min > clip_value_max; "
                    "TensorFlow computes maximum(minimum(t, clip_value_max), clip_value_min), so every element "
                    "becomes clip_value_min", ("clipped",), _value_np_clip),
               Hint("only clip_value_max is applied: values below clip_value_min are left as they are; apply both "
                    "bounds, maximum(minimum(t, clip_value_max), clip_value_min)", ("clipped",),
                    lambda case: {"clipped": np.minimum(case.arrays["t"], case.params["clip_value_max"])}),
               Hint("only clip_value_min is applied: values above clip_value_max are left as they are; apply both "
                    "bounds, maximum(minimum(t, clip_value_max), clip_value_min)", ("clipped",),
                    lambda case: {"clipped": np.maximum(case.arrays["t"], case.params["clip_value_min"])}))
NORM_HINTS = (
    Hint("clip_by_norm scales a tensor whose norm is below clip_norm up to clip_norm; it must come back unchanged: "
         "divide by max(norm, clip_norm), not by norm", ("clipped",), _norm_variant(scale_up=True)),
    Hint("axes is ignored: the norm is taken over the whole array instead of over axes, so the slices are not clipped "
         "on their own; use np.sum(t ** 2, axis=axes, keepdims=True)", ("clipped",), _norm_variant(whole=True)),
    Hint(SPECTRAL, ("clipped",), _norm_variant(spectral=True)),
    Hint(INVERTED, ("clipped",), _norm_variant(inverted=True)),
)
CLIPPED = tuple(f"clipped_{k}" for k in range(8))
GLOBAL_HINTS = (
    Hint("an Inf norm gives clip_norm / max(norm, clip_norm) = 0, so your arrays become 0 instead of NaN", CLIPPED,
         _global_variant("inf_zero")),
    Hint("use_norm is ignored: when use_norm is given, scale by clip_norm / max(use_norm, clip_norm) and return "
         "use_norm as the norm, without computing the global norm", CLIPPED + ("norm",), _global_variant("use_ignored")),
    Hint("each array is clipped by its own norm (as clip_by_norm does) instead of the global norm of all the arrays "
         "together: compute norm = global_norm(t_list) once and scale every array by clip_norm / max(norm, clip_norm)",
         CLIPPED, _global_variant("per_tensor")),
    Hint("the norm returned is the norm after clipping; return the global norm computed before clipping",
         ("norm",), _global_variant("clipped_norm")),
    Hint("small gradients are scaled up to clip_norm; scale by clip_norm / max(norm, clip_norm), which is 1 when the "
         "norm is already below clip_norm", CLIPPED, _global_variant("scale_up")),
    Hint("global_norm returns the sum of squares: take its square root", CLIPPED + ("norm",), _global_variant("no_sqrt")),
    Hint(SPECTRAL, CLIPPED + ("norm",), _global_variant("spectral")),
    Hint(INVERTED, CLIPPED, _global_variant("inverted")),
)
USE_NORM_ZERO = Hint("use_norm=0.0 is a given norm, but your code treats it as not given, as `if use_norm:` or "
                     "`use_norm or ...` do for 0.0: test `if use_norm is None:`", CLIPPED + ("norm",),
                     _global_variant("use_ignored"))
GNORM_HINTS = (Hint("global_norm returns the sum of squares: take its square root", ("norm",), _gnorm_no_sqrt),
               Hint(SPECTRAL, ("norm",), _gnorm_spectral))

# ---- fields ---------------------------------------------------------------------------------------

INF_MESSAGE = ("When a gradient contains Inf, the global norm is Inf and TensorFlow returns every clipped array as all "
               "NaN (its signal that training diverged), but your code turns the Inf into finite values: compute "
               "scale = clip_norm * min(1 / norm, 1 / clip_norm) and make it NaN when norm is not finite.")


def _clipped(label: str, dtype: Any = None, **messages: str) -> Field:
    dtypes = None if dtype is None else (np.dtype(dtype).name,)
    if dtype is not None:
        messages["dtype"] = "A float32 input must give a float32 result: do the arithmetic without casting to float64."
    return Field("clipped", label, dtypes=dtypes, messages=messages)


def _unchanged(name: str, function: str, fix: str) -> Field:
    what = "t_list or one of its arrays" if name == "t_list" else name
    return Field(f"{name}_after", f"The argument {name}", kind="unchanged",
                 messages={"mutated": f"Your {function}() modified {what} in place; return a new array instead ({fix})."})


NORM_FIELD = Field("norm", "norm (the global norm returned)", kind="scalar")
ENTRIES = Field("entries", "clipped (each entry an 'array' or 'None')", kind="exact",
                messages={"value": "clipped must have one entry per entry of t_list: the clipped array for each array "
                                    "and None at the same positions as the None entries of t_list (do not drop them)."})
RESULT_TYPE = Field("result_type", "The type of the value returned by clip_by_global_norm()", kind="exact",
                    messages={"value": "Return the tuple (clipped, norm), e.g. `return clipped, norm`, not a list "
                                       "[clipped, norm]."})


def _global_fields(case: Callable[[int], Case], dtype: Any = None, **messages: str) -> tuple[Field, ...]:
    layout = case(0).params["layout"]
    dtypes = None if dtype is None else (np.dtype(dtype).name,)
    if dtype is not None:
        messages["dtype"] = "A float32 input must give a float32 result: do the arithmetic without casting to float64."
    return (ENTRIES, *(Field(f"clipped_{k}", f"clipped[{k}] (entry {k} of the clipped list)", dtypes=dtypes,
                             messages=messages) for k, n in enumerate(layout) if n is not None), NORM_FIELD)


def _eq(fields: tuple[Field, ...]) -> tuple[str, ...]:
    return tuple(f.name for f in fields if f.kind in ("array", "scalar"))


def _check(name: str, title: str, probe: str, make: Callable[[int], Case], seed: int, fields: tuple[Field, ...],
           *, points: float = 1.0, hints: tuple[Hint, ...] = (), equivalent: bool = True,
           raises: str | None = None) -> Check:
    return Check(name=name, title=title, points=points, probe=probe, make_case=make, seed=seed, fields=fields,
                 hints=hints, equivalent_fields=_eq(fields) if equivalent else (), expect_raises=raises)


G_CLIP, G_BELOW, G_ZERO = global_case(3, 0.5), global_case(3, 2.0), global_case(2, 1.0, zero=True)
G_NONE, G_USE = global_case(2, 0.5, nones=(1, 3)), global_case(2, 1.5, use=3.0)
G_INF, G_F32 = global_case(2, 1.0, nones=(1,), inf=True), global_case(3, 0.5, dtype=np.float32)
RETURNS_NEW = Field("returns_new", "Whether the result is a new array (not t itself nor a view of it)", kind="exact",
                    messages={"value": "Your function returned its input array itself (or a view of it) when nothing "
                                       "needed clipping: the contract asks for new arrays, so that changing the result "
                                       "never changes the caller's gradient. Return a copy (t.copy(), or the "
                                       "arithmetic t * scale even when scale is 1)."})
G_USE0, G_TUPLE = global_case(3, 0.5, use=0.0), global_case(3, 0.5, container="tuple")
T_VALUE = _unchanged("t", "clip_by_value", "do not pass out=t to np.minimum or np.maximum, nor assign to t[...]")
T_NORM = _unchanged("t", "clip_by_norm", "write t * scale rather than t *= scale")
T_LIST_GNORM = _unchanged("t_list", "global_norm", "leave the list and its arrays as they are")
T_LIST_CLIP = _unchanged("t_list", "clip_by_global_norm", "write g * scale rather than g *= scale, and build a new list")
ZERO_MESSAGE = ("An all-zero array has norm 0, so dividing by the norm gives 0 / 0 = NaN: compute "
                "t * clip_norm / max(norm, clip_norm), which keeps a zero array zero.")

CHECKS = (
    _check("value_basic", "clip_by_value(t, -1, 1.5)", "clip_value", value_case(-1.0, 1.5), 501,
           (_clipped("clip_by_value(t, clip_value_min, clip_value_max)"),), hints=VALUE_HINTS),
    _check("value_min_above_max", "clip_by_value with clip_value_min > clip_value_max (every element becomes the min)",
           "clip_value", value_case(0.5, -0.5), 502, (_clipped("clip_by_value(t, 0.5, -0.5)"),), hints=VALUE_HINTS),
    _check("value_float32", "clip_by_value on float32 input returns float32", "clip_value",
           value_case(-0.75, 1.25, np.float32), 503, (_clipped("clip_by_value(t) for a float32 t", np.float32),),
           hints=VALUE_HINTS),
    _check("value_no_mutation", "clip_by_value leaves t unchanged", "clip_value", value_case(-1.0, 1.5), 504,
           (T_VALUE,), equivalent=False),
    _check("norm_clips", "clip_by_norm scales a tensor whose norm is above clip_norm", "clip_norm", norm_case(0.5), 511,
           (_clipped("clip_by_norm(t, clip_norm)"),), hints=NORM_HINTS),
    _check("norm_below", "clip_by_norm never scales up a tensor whose norm is below clip_norm", "clip_norm",
           norm_case(2.0), 512, (_clipped("clip_by_norm(t, clip_norm) for a t below clip_norm"),), hints=NORM_HINTS),
    _check("norm_zero", "clip_by_norm keeps an all-zero tensor zero", "clip_norm", norm_case(1.0, zero=True), 513,
           (_clipped("clip_by_norm(t, 1.0) for an all-zero t", nonfinite=ZERO_MESSAGE),), hints=NORM_HINTS),
    _check("norm_axes_rows", "clip_by_norm with axes=1 clips each row on its own", "clip_norm",
           norm_case(1.0, (4, 3), axes=1), 514, (_clipped("clip_by_norm(t, clip_norm, axes=1)"),), hints=NORM_HINTS),
    _check("norm_axes_tuple", "clip_by_norm with axes=(0, 2) on a 3-D tensor", "clip_norm",
           norm_case(1.0, (2, 4, 3), axes=[0, 2]), 515, (_clipped("clip_by_norm(t, clip_norm, axes=(0, 2))"),),
           hints=NORM_HINTS),
    _check("norm_float32", "clip_by_norm on float32 input returns float32", "clip_norm",
           norm_case(0.5, dtype=np.float32), 516, (_clipped("clip_by_norm(t, clip_norm) for a float32 t", np.float32),),
           hints=NORM_HINTS),
    _check("norm_no_mutation", "clip_by_norm leaves t unchanged", "clip_norm", norm_case(0.5), 517,
           (T_NORM,), equivalent=False),
    _check("global_norm_basic", "global_norm of three arrays", "global_norm", global_case(3, 1.0), 521,
           (Field("norm", "global_norm(t_list)", kind="scalar"),), hints=GNORM_HINTS),
    _check("global_norm_none", "global_norm skips None entries (a tuple with None)", "global_norm",
           global_case(2, 1.0, nones=(1, 3), container="tuple"), 522,
           (Field("norm", "global_norm(t_list) with None entries", kind="scalar", messages={
               "nonfinite": "np.asarray(None, dtype=float) is NaN, so a None entry that is not skipped makes the norm "
                            "NaN: skip it (if t is None: continue) before adding up the squares."}), T_LIST_GNORM),
           hints=GNORM_HINTS),
    _check("global_norm_empty", "global_norm([]) is 0.0", "global_norm", global_case(0, 1.0), 523,
           (Field("norm", "global_norm([])", kind="scalar"),)),
    _check("global_clip", "clip_by_global_norm scales every array by the same factor", "clip_global", G_CLIP, 531,
           _global_fields(G_CLIP), points=2, hints=GLOBAL_HINTS),
    _check("global_below", "clip_by_global_norm leaves gradients below clip_norm unchanged", "clip_global", G_BELOW,
           532, _global_fields(G_BELOW), hints=GLOBAL_HINTS),
    _check("global_zero", "clip_by_global_norm keeps all-zero gradients zero", "clip_global", G_ZERO, 533,
           _global_fields(G_ZERO, nonfinite=ZERO_MESSAGE), hints=GLOBAL_HINTS),
    _check("global_none", "clip_by_global_norm keeps None entries in place", "clip_global", G_NONE, 534,
           _global_fields(G_NONE), hints=GLOBAL_HINTS),
    _check("global_use_norm", "clip_by_global_norm with use_norm given", "clip_global", G_USE, 535,
           _global_fields(G_USE), hints=GLOBAL_HINTS),
    _check("global_inf", "clip_by_global_norm with an Inf gradient returns all NaN, as TensorFlow does", "clip_global",
           G_INF, 536, _global_fields(G_INF, value=INF_MESSAGE), hints=GLOBAL_HINTS),
    _check("global_float32", "clip_by_global_norm on float32 input returns float32", "clip_global", G_F32, 537,
           _global_fields(G_F32, np.float32), hints=GLOBAL_HINTS),
    _check("global_use_norm_zero", "clip_by_global_norm with use_norm=0.0: a given norm, although it is falsy",
           "clip_global", G_USE0, 541, _global_fields(G_USE0), hints=(USE_NORM_ZERO, *GLOBAL_HINTS)),
    _check("global_tuple", "clip_by_global_norm accepts a tuple t_list", "clip_global", G_TUPLE, 542,
           _global_fields(G_TUPLE), hints=GLOBAL_HINTS),
    _check("norm_new_array", "clip_by_norm returns a new array, also when it does not clip", "clip_norm",
           norm_case(2.0), 518, (RETURNS_NEW,), equivalent=False),
    _check("global_new_arrays", "clip_by_global_norm returns new arrays, also when it does not clip", "clip_global",
           G_BELOW, 543, (RETURNS_NEW,), equivalent=False),
    _check("global_returns_tuple", "clip_by_global_norm returns a tuple (clipped, norm)", "clip_global",
           global_case(2, 0.5), 538, (RESULT_TYPE,), equivalent=False),
    _check("global_not_a_list", "clip_by_global_norm raises TypeError when t_list is not a list or tuple",
           "clip_global", not_a_list, 539, (), raises="TypeError"),
    _check("global_no_mutation", "clip_by_global_norm leaves t_list and its arrays unchanged", "clip_global",
           global_case(2, 0.5, nones=(1,)), 540, (T_LIST_CLIP,), equivalent=False),
)


def tensorflow_clip(check: Check, case: Case) -> Mapping[str, np.ndarray]:
    """The TensorFlow equivalent: the function of the same name on the case's inputs."""
    from grader.equivalents.tf_env import import_tensorflow

    tf, p, a = import_tensorflow(), case.params, case.arrays
    if check.probe == "clip_value":
        return {"clipped": tf.clip_by_value(a["t"], p["clip_value_min"], p["clip_value_max"]).numpy()}
    if check.probe == "clip_norm":
        return {"clipped": tf.clip_by_norm(a["t"], p["clip_norm"], p["axes"]).numpy()}
    t_list = [None if n is None else tf.constant(a[n]) for n in p["layout"]]
    if check.probe == "global_norm":
        return {"norm": np.float64(tf.linalg.global_norm(t_list).numpy())}
    dtype = next(t.dtype for t in t_list if t is not None)
    use = None if p.get("use_norm") is None else tf.constant(p["use_norm"], dtype)
    clipped, norm = tf.clip_by_global_norm(t_list, p["clip_norm"], use_norm=use)
    out = {f"clipped_{k}": c.numpy() for k, c in enumerate(clipped) if c is not None}
    return {**out, "norm": np.float64(norm.numpy())}


EXERCISE = Exercise(
    id="exercise-05",
    title="Gradient clipping (clip_by_value, clip_by_norm, global_norm, clip_by_global_norm)",
    module_glob="exercise_05_*.py",
    stub=ROOT / "exercises" / "exercise_05_clipping.py",
    reference=ROOT / "solutions" / "exercise_05_clipping.py",
    probes=ROOT / "grader" / "probes" / "exercise_05.py",
    checks=CHECKS,
    equivalent=Equivalent(library="tensorflow clip_by_value, clip_by_norm, global_norm, clip_by_global_norm",
                          compute=tensorflow_clip),
)
