"""exercise-06: vanishing and exploding gradients (power_norms, spectral_radius, gradient_regime,
hidden_jacobian_norms).

The matrix functions are checked on a non-symmetric W with complex eigenvalues, a symmetric W, a rotation
(|λ| = 1: "stable"), a W whose dominant eigenvalue is negative and the chapter's own ``ones([2, 2])`` and
``0.4 * ones([2, 2])``. TensorFlow recomputes the norms (``tf.norm`` of repeated ``tf.linalg.matmul``), the
radii (``tf.linalg.eigvals``) and the Jacobian norms (``tf.GradientTape.jacobian`` of h_T with respect to every
h_t). Known mistakes are recognised by recomputing with the mistake switched on (exercise_06_variants.py).
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from grader.spec import ROOT, Case, Check, Equivalent, ErrorHint, Exercise, Explain, Field, Hint
from grader.specs import exercise_06_variants as variants

N, N_X, N_H, STEPS, K = 4, 3, 4, 6, 12
BAND_TOL = 0.05
MATRIX_LABELS = {"W": "the non-symmetric W", "rotation": "the rotation", "ones": "ones([2, 2])",
                 "ones_04": "0.4 * ones([2, 2])", "symmetric": "the symmetric W", "negative": "the W whose "
                 "dominant eigenvalue is negative", "above": f"a W with radius 1 + 2 tol", "below": "a W with radius "
                 "1 - 2 tol", "just_above": "a W with radius 1 + tol / 2", "just_below": "a W with radius 1 - tol / 2"}


def _rotation(angle: float, scale: float = 1.0) -> np.ndarray:
    return scale * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])


def _scaled(M: np.ndarray, rho: float) -> np.ndarray:
    return M * rho / np.max(np.abs(np.linalg.eigvals(M)))


def matrices(seed: int) -> dict[str, np.ndarray]:
    """Every matrix of the exercise, from one seed: the non-symmetric W has a complex pair of eigenvalues."""
    rng = np.random.default_rng(seed)
    while True:
        M = rng.normal(0, 0.6, (N, N))
        if np.any(np.abs(np.linalg.eigvals(M).imag) > 0.1):
            break
    S = rng.normal(0, 0.5, (N, N))
    Q = rng.normal(0, 1, (3, 3)) + 2 * np.eye(3)
    angle, radii = float(rng.uniform(0.4, 1.2)), rng.uniform([1.05, 0.6, 1.1], [1.3, 0.95, 1.5])
    return {"W": _scaled(M, radii[0]), "symmetric": _scaled(S + S.T, radii[1]), "rotation": _rotation(angle),
            "negative": Q @ np.diag([-radii[2], 0.7, 0.3]) @ np.linalg.inv(Q), "ones": np.ones((2, 2)),
            "ones_04": 0.4 * np.ones((2, 2)), "above": _rotation(angle, 1 + 2 * BAND_TOL),
            "below": _rotation(angle, 1 - 2 * BAND_TOL), "just_above": _rotation(angle, 1 + BAND_TOL / 2),
            "just_below": _rotation(angle, 1 - BAND_TOL / 2)}


def matrix_case(names: tuple[str, ...], **params: Any) -> Callable[[int], Case]:
    def make(seed: int) -> Case:
        every = matrices(seed)
        return Case(params={"matrices": list(names), **params}, arrays={n: every[n] for n in names})
    return make


def sequence_case(steps: int, activations: tuple[str, ...], w_scale: float = 0.5) -> Callable[[int], Case]:
    """One sequence; sigmoid' <= 1/4, so a sigmoid case needs a larger W for its norms not to vanish at once."""
    def make(seed: int) -> Case:
        rng = np.random.default_rng(seed)
        a = {"X": rng.normal(0, 1, (steps, N_X)), "h0": rng.normal(0, 0.5, N_H), "U": rng.normal(0, 0.5, (N_H, N_X)),
             "W": rng.normal(0, w_scale, (N_H, N_H)), "V": rng.normal(0, 0.5, (2, N_H)), "b": rng.normal(0, 0.3, (N_H, 1)),
             "c": rng.normal(0, 0.3, (2, 1))}
        return Case(params={"activations": list(activations)}, arrays=a)
    return make


def _no_mutation_case(seed: int) -> Case:
    return Case(params={}, arrays={"W": matrices(seed)["W"], **sequence_case(STEPS, ("tanh",))(seed).arrays})


# ---- known mistakes -------------------------------------------------------------------------------

def _matrix_hint(message: str, mistake: str, prefix: str, names: tuple[str, ...]) -> Hint:
    def variant(case: Case) -> Mapping[str, Any]:
        if prefix == "norms":
            return {f"norms {n}": variants.power_norms(case.arrays[n], int(case.params["k"]), mistake)
                    for n in case.params["matrices"]}
        return {f"radius {n}": variants.radius(case.arrays[n], mistake) for n in case.params["matrices"]}
    return Hint(message, tuple(f"{prefix} {n}" for n in names), variant)


POWER_NAMES = ("W", "rotation", "ones", "ones_04")
POWER_HINTS = tuple(_matrix_hint(message, mistake, "norms", POWER_NAMES) for mistake, message in (
    ("elementwise", "W ** k is the element-wise power: the matrix power W^k is W @ W @ ... @ W (k factors), "
                    "np.linalg.matrix_power(W, k)"),
    ("spectral", "these are spectral norms (the largest singular value, np.linalg.norm(P, 2)): the chapter plots "
                 "the Frobenius norm, sqrt of the sum of the squared entries (np.linalg.norm(P))"),
    ("from_zero", "the powers start at W^0 = I: entry i is the norm of W^(i+1), for W^1 up to W^k"),
    ("no_sqrt", "this is the sum of the squared entries: the Frobenius norm is its square root"),
))
RADIUS_NAMES = ("W", "symmetric", "negative")
RADIUS_HINTS = tuple(_matrix_hint(message, mistake, "radius", RADIUS_NAMES) for mistake, message in (
    ("eigh", "np.linalg.eigh assumes a symmetric matrix (it reads only one triangle), so its eigenvalues of a "
             "non-symmetric W are wrong: use np.linalg.eigvals"),
    ("no_abs", "the absolute value is missing: the spectral radius is the largest |λ|, and a negative or complex "
               "eigenvalue can be the largest in size"),
    ("spectral_norm", "this is the spectral norm (the largest singular value), which equals the spectral radius only "
                      "for a symmetric matrix: take the largest absolute eigenvalue"),
    ("frobenius", "this is the Frobenius norm of W: the spectral radius is its largest absolute eigenvalue"),
))
JACOBIAN_MISTAKES = (
    ("order", "the Jacobians are multiplied in the wrong order: dh_T/dh_t = J_T J_{T-1} ... J_{t+1}, with the "
              "Jacobian of the latest step on the left, so multiply each new one on the right"),
    ("w_not_t", "W is used in place of W.T: going back one step, the gradient is multiplied by W.T diag(act'(z)), "
                "the transpose of the Jacobian diag(act'(z)) W"),
    ("no_deriv", "the activation derivative is missing: each step's Jacobian is diag(act'(z_s)) W, not W alone"),
    ("deriv_prev", "the activation derivative is taken one step too early (from h_{s-1} instead of h_s): the "
                   "Jacobian of step s is diag(act'(z_s)) W, where act'(z_s) is computed from h_s"),
    ("diag_right", "the activation derivative multiplies the columns of W instead of its rows: the Jacobian of step s is "
                   "diag(act'(z_s)) W (d[:, None] * W), not W diag(act'(z_s)) (W * d[None, :])"),
    ("tanh_deriv", "the tanh derivative 1 - h**2 is used for the sigmoid activation: the sigmoid's is h * (1 - h)"),
    ("frobenius", "these are Frobenius norms: entry t is the spectral norm of dh_T/dh_t, its largest singular value "
                  "(np.linalg.norm(J, 2))"),
    ("shifted", "the entries are shifted by one step: entry t must be the norm of dh_T/dh_t, so entry 0 is "
                "dh_T/dh_0 (through all T steps) and only the last entry is the identity"),
    ("first_missing", "entry 0 (dh_T/dh_0, the gradient that reaches h0) is missing: return T + 1 entries, for t = 0 "
                      "up to T"),
    ("reversed", "the entries are in reverse order: entry t is the norm of dh_T/dh_t, so the last one (t = T) is 1"),
    ("zero_h0", "h0 is ignored: the states, and with them the activation derivatives, start from h0"),
)
JACOBIAN_FIELDS = ("norms tanh", "norms sigmoid")
JACOBIAN_HINTS = tuple(Hint(message, JACOBIAN_FIELDS, lambda case, m=mistake: {
    f"norms {act}": variants.jacobian_norms(case.arrays, act, m) for act in case.params["activations"]})
    for mistake, message in JACOBIAN_MISTAKES)

# ---- fields ---------------------------------------------------------------------------------------


def _norms(name: str) -> Field:
    return Field(f"norms {name}", f"power_norms({MATRIX_LABELS[name]}, k)", messages={
        "shape": "power_norms(W, k) returns one norm per power, W^1 up to W^k: shape (k,)."})


def _radius(name: str) -> Field:
    return Field(f"radius {name}", f"spectral_radius({MATRIX_LABELS[name]})", kind="scalar")


def _regime(name: str) -> Field:
    return Field(f"regime {name}", f"gradient_regime({MATRIX_LABELS[name]})", kind="exact", types=("str",))


def _jacobian(act: str) -> tuple[Field, ...]:
    return (Field(f"norms {act}", f"hidden_jacobian_norms(X, h0, params, '{act}')", atol=1e-8, messages={
                "shape": "There is one entry per state h_0 ... h_T: shape (T+1,)."}),
            Field(f"last entry {act}", f"The last entry of hidden_jacobian_norms(..., '{act}')", kind="scalar",
                  types=("float", "numpy.float64", "numpy.float32"), messages={
                      "value": "The last entry is the norm of dh_T/dh_T, the identity: it is 1.",
                      "missing": "hidden_jacobian_norms() must return a 1-D numpy array of T+1 entries."}))


def _unchanged(arg: str, func: str) -> Field:
    what = "the params dict (an entry was replaced or written into)" if arg == "params" else arg
    fix = ("P = P @ W, not P @= W" if func != "hidden_jacobian_norms" else
           "h = act(...), not h[:] = act(...) on a state that is the caller's h0")
    return Field(f"{arg} ({func})", f"The argument {arg} of {func}", kind="unchanged", messages={
        "mutated": f"Your {func}() modified {what} in place: work on new arrays ({fix})."})


def _regime_names(case: Case) -> list[str]:
    return list(case.params["matrices"])


def _band(r: float, tol: float) -> str:
    return "exploding" if r > 1 + tol else "vanishing" if r < 1 - tol else "stable"


# (what a mistake answers for a matrix W and a tol, the sentence)
REGIME_MISTAKES: tuple[tuple[Callable[[np.ndarray, float], str], str], ...] = (
    (lambda W, tol: _band(variants.radius(W, "frobenius"), tol),
     "the regime is decided from the Frobenius norm of W: it is decided by the spectral radius, the largest |λ| "
     "(spectral_radius(W)), which can be below 1 while the norm is above 1"),
    (lambda W, tol: _band(variants.radius(W, "spectral_norm"), tol),
     "the regime is decided from the spectral norm of W (its largest singular value): it is decided by the spectral "
     "radius, the largest |λ| (spectral_radius(W)); the two differ for a non-symmetric W"),
    (lambda W, tol: "exploding" if (r := variants.radius(W)) > 1 else "vanishing" if r < 1 else "stable",
     "tol is ignored: the band 1 - tol <= radius <= 1 + tol is 'stable', so a radius of 1 (a rotation) and radii "
     "within tol of 1 are 'stable'"),
    (lambda W, tol: "exploding" if (r := variants.radius(W)) > 1 - tol else "vanishing" if r < 1 + tol else "stable",
     "the tolerance band is applied the wrong way: 'exploding' needs radius > 1 + tol and 'vanishing' radius < 1 - tol"),
    (lambda W, tol: "vanishing" if (r := variants.radius(W)) > 1 + tol else "exploding" if r < 1 - tol else "stable",
     "'exploding' and 'vanishing' are swapped: a radius above 1 makes W^k, and the gradient, grow (explode)"),
)


def regime_mistakes(case: Case) -> dict[str, Any]:
    """Explain data (stored in the key): what each known mistake answers for these radii (grader/explainers.py)."""
    tol = float(case.params.get("tol") or 1e-3)
    return {"mistakes": [{"sentence": sentence, "outputs": {f"regime {n}": mistake(case.arrays[n], tol)
                                                            for n in _regime_names(case)}}
                         for mistake, sentence in REGIME_MISTAKES]}


EXPLAIN_REGIME = Explain("matching_mistake", data=regime_mistakes)


def _check(name: str, title: str, probe: str, make: Callable[[int], Case], seed: int, fields: tuple[Field, ...],
           *, points: float = 1.0, hints: tuple[Hint, ...] = (), equivalent: bool = True,
           explain: Explain | None = None) -> Check:
    eq = tuple(f.name for f in fields if f.kind in ("array", "scalar") and not f.name.startswith("last")) if equivalent else ()
    return Check(name=name, title=title, points=points, probe=probe, make_case=make, seed=seed, fields=fields,
                 hints=hints, equivalent_fields=eq, explain=explain)


REGIMES = ("W", "symmetric", "rotation", "ones", "ones_04")
BAND = ("above", "just_above", "just_below", "below")
ARGUMENTS = (("power_norms", "W"), ("spectral_radius", "W"), ("gradient_regime", "W"), ("hidden_jacobian_norms", "X"),
             ("hidden_jacobian_norms", "h0"), ("hidden_jacobian_norms", "params"))

CHECKS = (
    _check("power_norms", f"power_norms(W, {K}) of a non-symmetric W and of a rotation", "powers",
           matrix_case(("W", "rotation"), k=K), 601, (_norms("W"), _norms("rotation")), points=2, hints=POWER_HINTS),
    _check("power_norms_chapter", "power_norms of the chapter's ones([2, 2]) (explodes) and 0.4 * ones([2, 2]) "
           "(vanishes)", "powers", matrix_case(("ones", "ones_04"), k=10), 602, (_norms("ones"), _norms("ones_04")),
           hints=POWER_HINTS),
    _check("radius_nonsymmetric", "spectral_radius of a non-symmetric W (complex eigenvalues)", "radius",
           matrix_case(("W",)), 603, (_radius("W"),), hints=RADIUS_HINTS),
    _check("radius_symmetric", "spectral_radius of a symmetric W", "radius", matrix_case(("symmetric",)), 604,
           (_radius("symmetric"),), hints=RADIUS_HINTS),
    _check("radius_negative", "spectral_radius when the largest eigenvalue in size is negative", "radius",
           matrix_case(("negative",)), 605, (_radius("negative"),), hints=RADIUS_HINTS),
    _check("regime", "gradient_regime: exploding, vanishing, and stable for a rotation (|λ| = 1)", "regime",
           matrix_case(REGIMES), 606, tuple(_regime(n) for n in REGIMES), equivalent=False, explain=EXPLAIN_REGIME),
    _check("regime_band", f"gradient_regime(W, tol={BAND_TOL}) just inside and just outside the band 1 ± tol",
           "regime", matrix_case(BAND, tol=BAND_TOL), 607, tuple(_regime(n) for n in BAND), equivalent=False,
           explain=EXPLAIN_REGIME),
    _check("jacobian_tanh", f"hidden_jacobian_norms over T = {STEPS} steps with tanh", "jacobian",
           sequence_case(STEPS, ("tanh",)), 608, _jacobian("tanh"), points=2, hints=JACOBIAN_HINTS),
    _check("jacobian_sigmoid", f"hidden_jacobian_norms over T = {STEPS} steps with sigmoid", "jacobian",
           sequence_case(STEPS, ("sigmoid",), 2.0), 609, _jacobian("sigmoid"), points=2, hints=JACOBIAN_HINTS),
    _check("jacobian_one_step", "hidden_jacobian_norms for T = 1: two entries, the last one 1", "jacobian",
           sequence_case(1, ("tanh", "sigmoid")), 610, _jacobian("tanh") + _jacobian("sigmoid"), hints=JACOBIAN_HINTS),
    _check("no_mutation", "the four functions leave their arguments unchanged", "no_mutation", _no_mutation_case, 611,
           tuple(_unchanged(arg, func) for func, arg in ARGUMENTS), equivalent=False),
)

ERROR_HINTS = (
    ErrorHint("b is a column [n_h, 1] and h is 1-D [n_h] here: flatten b (b.ravel()) before adding it, or the sum "
              "broadcasts to an [n_h, n_h] matrix.", type_name="ValueError", contains="shape"),
    ErrorHint("Two matrices do not line up: U is [n_h, n_x] and multiplies x_t = X[t-1] ([n_x]); W is [n_h, n_h] and "
              "multiplies h_{t-1} ([n_h]).", type_name="ValueError", contains="mismatch"),
)


def tensorflow_equivalent(check: Check, case: Case) -> Mapping[str, np.ndarray]:
    """tf.norm of repeated tf.linalg.matmul, tf.linalg.eigvals, and tf.GradientTape.jacobian (float64)."""
    from grader.equivalents.tf_gradient_flow import jacobian_norms, power_norms, spectral_radius

    a, p = case.arrays, case.params
    if check.probe == "powers":
        return {f"norms {n}": power_norms(a[n], int(p["k"])) for n in p["matrices"]}
    if check.probe == "radius":
        return {f"radius {n}": spectral_radius(a[n]) for n in p["matrices"]}
    return {f"norms {act}": jacobian_norms(a, act) for act in p["activations"]}


EXERCISE = Exercise(
    id="exercise-06",
    title="Vanishing and exploding gradients (power_norms, spectral_radius, gradient_regime, hidden_jacobian_norms)",
    module_glob="exercise_06_*.py",
    stub=ROOT / "exercises" / "exercise_06_gradient_flow.py",
    reference=ROOT / "solutions" / "exercise_06_gradient_flow.py",
    probes=ROOT / "grader" / "probes" / "exercise_06.py",
    checks=CHECKS,
    equivalent=Equivalent(library="tensorflow tf.linalg.matmul + tf.norm, tf.linalg.eigvals, tf.GradientTape.jacobian",
                          compute=tensorflow_equivalent),
    error_hints=ERROR_HINTS,
)
