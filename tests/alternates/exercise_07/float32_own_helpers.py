"""A correct exercise-07 in float32 with its own helpers: one forward pass per batch shared by the loss and the
gradients, clip_by_global_norm as in exercise-05, uniform initial weights, rng.shuffle of an index array, the mean
of the batch losses, and predict as the argmax of the logits (softmax does not change it)."""
import numpy as np

F = np.float32


def clip_by_global_norm(t_list, clip_norm):
    norm = np.sqrt(sum(float(np.sum(t.astype(np.float64) ** 2)) for t in t_list))
    return [t * F(clip_norm / max(norm, clip_norm)) for t in t_list], norm


def sgd_step(params, grads, lr, clip_norm=None):
    keys = list(params)
    g = [np.asarray(grads[k]) for k in keys]
    if clip_norm is not None:
        g, _ = clip_by_global_norm(g, clip_norm)
    return {k: np.asarray(params[k]) - lr * gk for k, gk in zip(keys, g)}


def _forward(X, p):
    h = np.zeros((p["W"].shape[0], X.shape[0]), F)
    H = [h]
    for t in range(X.shape[1]):
        h = np.tanh(p["U"] @ X[:, t, :].T + p["W"] @ h + p["b"]).astype(F)
        H.append(h)
    o = p["V"] @ h + p["c"]
    e = np.exp(o - o.max(axis=0, keepdims=True))
    return H, o, e / e.sum(axis=0, keepdims=True)


def _loss_and_grads(X, y, p):
    H, _, prob = _forward(X, p)
    B = X.shape[0]
    loss = float(-np.mean(np.sum(y.T * np.log(prob), axis=0)))
    do = (prob - y.T) / B
    g = {"V": do @ H[-1].T, "c": do.sum(axis=1, keepdims=True)}
    g.update({k: np.zeros_like(p[k]) for k in ("U", "W", "b")})
    dh = p["V"].T @ do
    for t in range(X.shape[1], 0, -1):
        dz = dh * (1 - H[t] ** 2)
        g["U"] += dz @ X[:, t - 1, :]
        g["W"] += dz @ H[t - 1].T
        g["b"] += dz.sum(axis=1, keepdims=True)
        dh = p["W"].T @ dz
    return loss, g


def train_rnn(X, y, units, epochs, lr, clip_norm=None, seed=0, batch_size=32):
    X, y = np.asarray(X, F), np.asarray(y, F)
    rng = np.random.default_rng(seed)
    n_x, n_o = X.shape[2], y.shape[1]
    p = {"U": rng.uniform(-0.3, 0.3, (units, n_x)).astype(F), "W": rng.uniform(-0.2, 0.2, (units, units)).astype(F),
         "V": rng.uniform(-0.3, 0.3, (n_o, units)).astype(F), "b": np.zeros((units, 1), F), "c": np.zeros((n_o, 1), F)}
    losses = []
    index = np.arange(len(X))
    for _ in range(epochs):
        rng.shuffle(index)
        batch_losses = []
        for start in range(0, len(X), batch_size):
            batch = index[start:start + batch_size]
            loss, g = _loss_and_grads(X[batch], y[batch], p)
            batch_losses.append(loss)
            p = sgd_step(p, g, lr, clip_norm)
        losses.append(float(np.mean(batch_losses)))
    return p, losses


def predict(X, params):
    p = {k: np.asarray(v, F) for k, v in params.items()}
    _, logits, _ = _forward(np.asarray(X, F), p)
    return logits.argmax(axis=0)
