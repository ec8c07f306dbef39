"""Graded hints for exercise-03 (MyRNNCell), by check name: a nudge first, then more specific, never code."""
from __future__ import annotations

_STEP = (
    "Write the step as two equations before you write any code: the new state h_t from x_t and h_{t-1}, "
    "then the logits o_t from h_t. Check every shape: x_t is [batch, n_x], h is [n_h, batch], o is [n_o, batch].",
    "h_t = act(U x_t^T + W h_{t-1} + b) and o_t = V h_t + c. Each of the five parameters appears exactly once; "
    "the input must be transposed so that U (shape [n_h, n_x]) can multiply it.",
    "Compute the new state first and use it (not h_{t-1}) for the logits. Return the logits o and the new "
    "state, in that order, and store the softmax of o in self.y_hat before returning.",
)

_ISOLATE = "This check sets some parameters to zero so that only one term is left: "

HINTS: dict[str, tuple[str, ...]] = {
    "build": (
        "build() receives the input shape, not the input: the number of features n_x is its last entry.",
        "Create U [n_h, n_x], W [n_h, n_h], V [n_o, n_h], b [n_h, 1] and c [n_o, 1], where n_h is units and "
        "n_o is labels. The batch size must not appear in any of these shapes.",
        "Finish build() by setting the flag that says the cell is built. Beware the chapter's typo: the flag "
        "is called built; assigning to build replaces the method itself.",
    ),
    "forward_tanh": _STEP,
    "forward_sigmoid": (
        "The step is the same as with tanh; only the activation differs. Does activate() pick sigmoid "
        "when the cell was created with activation='sigmoid'?",
        *_STEP[1:],
    ),
    "isolate_Ux": (
        _ISOLATE + "U x_t^T. If this fails, the input term itself is wrong.",
        "x_t arrives as [batch, n_x]; U is [n_h, n_x]. Which of the two has to be transposed so that the product "
        "is [n_h, batch]?",
        "Check that you did not swap U and W: U multiplies the input, W multiplies the previous state.",
    ),
    "isolate_Wh": (
        _ISOLATE + "W h_{t-1} (and c). If this fails, the recurrent term is wrong.",
        "The previous state h_{t-1} is already [n_h, batch]: it must not be transposed. W multiplies it from "
        "the left, as it is (not W transposed).",
        "Make sure it is the previous state you pass in (ht_1) that is used here, not a state you stored on the "
        "cell from an earlier call.",
    ),
    "isolate_b": (
        _ISOLATE + "the hidden bias b. If this fails, b does not reach h_t.",
        "With U and W zero, h_t must be act(b) in every column. Is b added inside the activation, before act() is "
        "applied?",
        "b has shape [n_h, 1], so adding it to an [n_h, batch] array broadcasts it over the batch. Do not add it "
        "after the activation or to o_t.",
    ),
    "isolate_c": (
        _ISOLATE + "the output bias c. If this fails, c does not reach o_t.",
        "With V zero, every column of o_t must equal c. Add c to the logits, after V multiplies the new state.",
        "c has shape [n_o, 1] and broadcasts over the batch; it belongs to o_t, not to z_t.",
    ),
    "no_mutation": (
        "call() must not change the arrays it is given: the caller still needs xt and ht_1 afterwards.",
        "Operators such as += or -=, and assignments into slices, write into the existing array. Compute new arrays "
        "with ordinary expressions instead.",
        "If you need a modified copy, make it explicitly with .copy() first, and modify the copy.",
    ),
    "call_builds": (
        "Calling the cell like a function (cell(xt, ht_1)) goes through __call__: does it forward to call()?",
        "The first call on a cell that is not built yet must build it from the input's shape before computing "
        "the step.",
        "Build only once: check the built flag and skip build() when the parameters already exist, or every call "
        "draws new random weights.",
    ),
    "sequence": (
        "Three calls in a row: each one must start from the state returned by the previous call.",
        "If one step is right but three are not, something carries over between calls that should not: a state "
        "stored on the cell, or weights that are re-created on every call.",
        "Use only the ht_1 argument as the previous state, and build the parameters once.",
    ),
    "softmax_columns": (
        "Each column of o holds the logits of one example: softmax must turn every column into probabilities.",
        "Every column of the result must sum to 1. Which axis do you sum over: the class axis (0) or the batch "
        "axis (1)?",
        "Keep the summed axis with keepdims so that the division broadcasts column by column.",
    ),
    "softmax_large": (
        "With logits around 1000, the exponential overflows to inf and inf / inf is NaN.",
        "Softmax does not change when you subtract the same number from every logit of a column.",
        "Subtract each column's largest logit before taking the exponential: the largest exponent is then 0.",
    ),
    "activate_tanh": (
        "activate(z) applies the cell's activation, chosen by name when the cell was created, element by element.",
        "For 'tanh', NumPy has the hyperbolic tangent built in; it must not modify z in place.",
    ),
    "activate_sigmoid": (
        "The sigmoid squashes every value into (0, 1), with sigmoid(0) = 0.5. Does yours?",
        "sigmoid(z) = 1 / (1 + e^(-z)). Mind the sign of the exponent: with the wrong sign you get 1 - sigmoid(z).",
        "Check that activate() compares the activation name with 'sigmoid' and does not fall back to tanh.",
    ),
    "activate_unknown": (
        "What should activate() do when the activation name is neither 'tanh' nor 'sigmoid'?",
        "Raise ValueError (with a message that names the unknown activation) instead of returning a value or "
        "falling back to one of the two.",
    ),
    "loss": (
        "Cross-entropy compares the one-hot labels with the predicted probabilities, column by column.",
        "For one example it is minus the sum over classes of y times log(y_hat); the loss is then the mean over "
        "the batch (the columns).",
        "Sum over the classes, then divide by the batch size, not by the number of elements; do not forget the "
        "minus sign, and return a Python float.",
    ),
}
