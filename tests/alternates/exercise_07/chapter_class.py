"""A correct exercise-07 in the chapter's style: a MyRNN class whose backward and fit are finished, with the
module's functions as thin wrappers; an orthogonal recurrent matrix to start with, shuffling by rng.permutation."""
import numpy as np


class MyRNN:
    def __init__(self, units, n_x, n_o, rng):
        self.U = rng.normal(0, 0.4, (units, n_x))
        self.W = np.linalg.qr(rng.normal(0, 1, (units, units)))[0] * 0.5
        self.V = rng.normal(0, 0.4, (n_o, units))
        self.b, self.c = np.zeros((units, 1)), np.zeros((n_o, 1))

    @property
    def params(self):
        return {"U": self.U, "W": self.W, "V": self.V, "b": self.b, "c": self.c}

    def forward(self, X):
        self.X, self.hs = X, [np.zeros((self.W.shape[0], X.shape[0]))]
        for t in range(X.shape[1]):
            self.hs.append(np.tanh(self.U @ X[:, t].T + self.W @ self.hs[-1] + self.b))
        o = self.V @ self.hs[-1] + self.c
        o = o - o.max(axis=0)
        self.y_hat = np.exp(o) / np.exp(o).sum(axis=0)
        return self.y_hat

    def backward(self, y):
        do = (self.y_hat - y.T) / len(y)
        grads = {"V": do @ self.hs[-1].T, "c": do.sum(axis=1, keepdims=True),
                 "U": 0 * self.U, "W": 0 * self.W, "b": 0 * self.b}
        dh = self.V.T @ do
        for t in reversed(range(self.X.shape[1])):
            dz = dh * (1 - self.hs[t + 1] ** 2)
            grads["U"] = grads["U"] + dz @ self.X[:, t]
            grads["W"] = grads["W"] + dz @ self.hs[t].T
            grads["b"] = grads["b"] + dz.sum(axis=1, keepdims=True)
            dh = self.W.T @ dz
        return grads

    def fit(self, X, y, epochs, lr, clip_norm, rng, batch_size):
        losses = []
        for _ in range(epochs):
            seen, total = 0, 0.0
            for batch in np.array_split(rng.permutation(len(X)), range(batch_size, len(X), batch_size)):
                y_hat = self.forward(X[batch])
                total += -np.sum(np.log(np.sum(y_hat * y[batch].T, axis=0)))
                seen += len(batch)
                new = sgd_step(self.params, self.backward(y[batch]), lr, clip_norm)
                self.U, self.W, self.V, self.b, self.c = (new[k] for k in ("U", "W", "V", "b", "c"))
            losses.append(total / seen)
        return losses


def sgd_step(params, grads, lr, clip_norm=None):
    factor = lr
    if clip_norm is not None:
        norm = np.sqrt(sum((grads[k] ** 2).sum() for k in params))
        if norm > clip_norm:
            factor = lr * clip_norm / norm
    return {k: v - factor * grads[k] for k, v in params.items()}


def train_rnn(X, y, units, epochs, lr, clip_norm=None, seed=0, batch_size=32):
    rng = np.random.default_rng(seed)
    X, y = np.asarray(X, float), np.asarray(y, float)
    model = MyRNN(units, X.shape[2], y.shape[1], rng)
    losses = model.fit(X, y, epochs, lr, clip_norm, rng, batch_size)
    return dict(model.params), losses


def predict(X, params):
    model = MyRNN.__new__(MyRNN)
    model.U, model.W, model.V, model.b, model.c = (params[k] for k in ("U", "W", "V", "b", "c"))
    return model.forward(np.asarray(X, float)).argmax(axis=0)
