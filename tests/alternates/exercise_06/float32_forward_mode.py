"""A correct exercise-06 in float32: powers by repeated products, eigenvalues by np.linalg.eig, and each Jacobian
dh_T/dh_t built forward from step t + 1 (forward-mode accumulation), once per t."""
import numpy as np


def power_norms(W, k):
    W = np.asarray(W, dtype=np.float32)
    out, P = [], W.copy()
    for _ in range(k):
        out.append(np.sqrt((P ** 2).sum()))
        P = P @ W
    return np.asarray(out, dtype=np.float32)


def spectral_radius(W):
    values, _ = np.linalg.eig(np.asarray(W, dtype=np.float64))
    return float(max(abs(v) for v in values))


def gradient_regime(W, tol=1e-3):
    r = spectral_radius(W)
    return "exploding" if r > 1 + tol else ("vanishing" if r < 1 - tol else "stable")


def _derivatives(X, h0, U, W, b, activation):
    h, out = h0.astype(np.float32), []
    for t in range(len(X)):
        z = U @ X[t] + W @ h + b
        if activation == "sigmoid":
            h = (1 / (1 + np.exp(-z))).astype(np.float32)
            out.append(h * (1 - h))
        else:
            h = np.tanh(z).astype(np.float32)
            out.append(1 - h * h)
    return out


def hidden_jacobian_norms(X, h0, params, activation="tanh"):
    f32 = {k: np.asarray(params[k], dtype=np.float32) for k in ("U", "W", "b")}
    U, W, b = f32["U"], f32["W"], f32["b"][:, 0]
    D = _derivatives(np.asarray(X, np.float32), np.asarray(h0), U, W, b, activation)
    T = len(D)
    norms = np.empty(T + 1, dtype=np.float32)
    for t in range(T + 1):
        J = np.eye(W.shape[0], dtype=np.float32)
        for s in range(t, T):  # step s + 1 uses D[s]
            J = (D[s][:, None] * W) @ J
        norms[t] = np.linalg.norm(J, 2)
    return norms
