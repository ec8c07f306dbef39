"""A correct exercise-06 written the chapter's way: matrix_power, a column state h [n_h, 1], and the gradient
recursion g_t = W.T diag(act'(z_{t+1})) g_{t+1} on the transposed Jacobian (same spectral norm)."""
import numpy as np


def power_norms(W, k):
    return np.array([np.linalg.norm(np.linalg.matrix_power(np.asarray(W), i), "fro") for i in range(1, k + 1)])


def spectral_radius(W):
    return float(np.abs(np.linalg.eigvals(W)).max())


def gradient_regime(W, tol=1e-3):
    rho = spectral_radius(W)
    if abs(rho - 1.0) <= tol:
        return "stable"
    return "exploding" if rho > 1.0 else "vanishing"


def hidden_jacobian_norms(X, h0, params, activation="tanh"):
    U, W, b = params["U"], params["W"], params["b"]
    h = np.reshape(h0, (-1, 1))
    grads = []
    for x in X:
        z = U @ x.reshape(-1, 1) + W @ h + b
        h = np.tanh(z) if activation == "tanh" else 1 / (1 + np.exp(-z))
        grads.append((1 - h ** 2) if activation == "tanh" else h * (1 - h))
    M = np.eye(W.shape[0])  # (dh_T / dh_t)^T
    result = [1.0]
    for d in reversed(grads):
        M = W.T @ (d * M)
        result.append(np.linalg.svd(M, compute_uv=False)[0])
    return np.array(result[::-1])
