"""Graded hints for exercise-04 (backpropagation through time), by check name: a nudge first, then more
specific, never code. The stub's module docstring holds the derivation these hints point to."""
from __future__ import annotations

_GRAD = (
    "Compare your loop with the backward pass in the module docstring, line by line, from t = T down to 1.",
    "Each parameter's gradient is a sum over time steps: start it at zero and add each step's term; the carried "
    "gradient dh_next starts at zero and is added to the step's own output gradient.",
    "The 1 / B factor appears once, in do_t; dW uses the previous state h_{t-1}; dh_next is W transposed times "
    "dz_t; biases are summed over the batch and stay columns.",
)


def _grad(name: str, specific: str) -> tuple[str, ...]:
    return (_GRAD[0], f"{name}: {specific}", _GRAD[1], _GRAD[2])


def _fd(name: str) -> tuple[str, ...]:
    return (
        f"This check nudges each entry of {name} a little, reruns your own forward pass and loss, and compares the "
        "change with your gradient.",
        "If the reference check passes but this one fails (or the other way round), your forward pass or loss "
        "disagrees with your backward pass: they must describe the same computation.",
        "Check that the loss mode and the activation used in the backward pass are the ones you were given.",
    )


HINTS: dict[str, tuple[str, ...]] = {
    "forward_shapes": (
        "H holds T + 1 states (h0 first) and Y_hat one softmax per step.",
        "Allocate H as [T+1, n_h, batch] and Y_hat as [T, n_o, batch] before the loop; X is batch first.",
    ),
    "forward_h0": (
        "The first state is the h0 you were given, not zeros.",
        "Set H[0] to h0 and compute H[t] from H[t-1] for t = 1 .. T.",
    ),
    "forward_values": (
        "Each step is the RNN cell's step: a new state from the input and the previous state, then logits and a "
        "softmax.",
        "The input of step t is the slice of X at time t - 1 (all the batch, all the features), transposed for U.",
        "Go forward in time, use the activation you were given, and take the softmax over the class axis.",
    ),
    "forward_softmax": (
        "Every column of every Y_hat[t] is a probability distribution.",
        "Take the softmax over axis 0 (the classes), subtracting each column's maximum first.",
    ),
    "loss_all": (
        "In mode 'all' every step has a loss, and the sequence's loss combines them.",
        "L is the sum of the per-step losses (not their mean); each L_t is the batch mean of the cross-entropy.",
        "The labels y are [batch, n_o]: transpose them to line up with y_hat_t, [n_o, batch].",
    ),
    "loss_last": (
        "In mode 'last' only the last step counts (many-to-one).",
        "Return L_T, the batch mean of the cross-entropy of the last step's softmax.",
    ),
    "grad_U": _grad("dU", "each step adds dz_t times the input x_t of that step ([n_h, batch] times [batch, n_x])."),
    "grad_W": _grad("dW", "each step adds dz_t times the previous state h_{t-1} transposed, the state W multiplied."),
    "grad_V": _grad("dV", "each step adds do_t times the state h_t transposed."),
    "grad_b": _grad("db", "each step adds dz_t summed over the batch, kept as an [n_h, 1] column."),
    "grad_c": _grad("dc", "each step adds do_t summed over the batch, kept as an [n_o, 1] column."),
    "grad_h0": _grad("dh0", "after the step t = 1, the carried gradient dh_next is the gradient of h0."),
    "fd_U": _fd("U"),
    "fd_W": _fd("W"),
    "fd_V": _fd("V"),
    "fd_b": _fd("b"),
    "fd_c": _fd("c"),
    "fd_h0": _fd("h0"),
    "no_mutation": (
        "None of the three functions may change its arguments: X, y, h0, or the params dict and its arrays.",
        "Operators such as += on an argument, or slice assignments into it, change it in place; write to new "
        "arrays instead (a gradient accumulator you created yourself may use +=).",
        "Return a new dict of gradients rather than updating params.",
    ),
}
