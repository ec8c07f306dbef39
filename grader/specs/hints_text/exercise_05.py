"""Graded hints for exercise-05 (gradient clipping), by check name: a nudge first, then more specific, never
code. The behaviour to match is TensorFlow's (tf.clip_by_value, tf.clip_by_norm, tf.linalg.global_norm,
tf.clip_by_global_norm)."""
from __future__ import annotations

_VALUE = (
    "clip_by_value limits every element to the interval [clip_value_min, clip_value_max].",
    "Apply the upper limit first and the lower limit second: that order decides the result when the min is "
    "above the max (every element becomes the min, as in TensorFlow, unlike np.clip).",
    "Return a new array with the input's dtype.",
)
_NORM = (
    "clip_by_norm rescales t only when its L2 norm is above clip_norm, so that the norm becomes clip_norm.",
    "The scale factor is clip_norm divided by the larger of the norm and clip_norm: it is never above 1.",
    "With axes given, the norm is taken over those axes only (keep them for broadcasting); an all-zero tensor "
    "must stay zero without dividing by zero.",
)
_GLOBAL = (
    "clip_by_global_norm scales all the arrays by one common factor, computed from their global norm.",
    "The global norm is the square root of the sum of the squares of every element of every array (None "
    "entries skipped); the factor is clip_norm divided by the larger of that norm and clip_norm.",
    "Use use_norm instead of computing the norm when it is given, keep None entries in place, and return "
    "(list of clipped arrays, the global norm before clipping).",
)
_NO_MUTATION = (
    "The input must be unchanged after the call: the caller still owns it.",
    "Operators such as *= and slice assignments modify the array in place; compute new arrays instead.",
)

HINTS: dict[str, tuple[str, ...]] = {
    "value_basic": _VALUE,
    "value_min_above_max": (
        "What happens when clip_value_min is larger than clip_value_max?",
        *_VALUE[1:],
    ),
    "value_float32": (
        "A float32 input must give a float32 output.",
        "Mixing a float32 array with Python floats keeps float32 in NumPy 2, but converting to float64 arrays first "
        "does not; cast the result back to the input's dtype if needed.",
    ),
    "value_no_mutation": _NO_MUTATION,
    "norm_clips": _NORM,
    "norm_below": (
        "A tensor whose norm is already below clip_norm must come back unchanged.",
        _NORM[1],
    ),
    "norm_zero": (
        "An all-zero tensor has norm 0: careful with the division.",
        "Divide by the larger of the norm and clip_norm, which is never zero here, instead of by the norm itself.",
    ),
    "norm_axes_rows": (
        "With axes=1, every row is clipped on its own, by its own norm.",
        "Compute the norm over the given axes only and keep those axes (keepdims) so that it broadcasts back.",
        _NORM[1],
    ),
    "norm_axes_tuple": (
        "axes may be a tuple of several axes, here (0, 2) on a 3-D tensor.",
        "NumPy's sum accepts a tuple of axes; keep them (keepdims) so that the norm broadcasts back over t.",
    ),
    "norm_float32": (
        "A float32 input must give a float32 output.",
        "Cast the result back to the input's dtype if your arithmetic promoted it to float64.",
    ),
    "norm_no_mutation": _NO_MUTATION,
    "global_norm_basic": (
        "The global norm treats all the arrays as one long vector.",
        "Add up the squares of every element of every array, then take the square root once.",
    ),
    "global_norm_none": (
        "Some entries of t_list are None (a variable without gradient).",
        "Skip the None entries when you add up the squares.",
    ),
    "global_norm_empty": (
        "An empty list has nothing to add up.",
        "Start the sum of squares at 0.0, so that an empty list gives 0.0 (a float).",
    ),
    "global_clip": _GLOBAL,
    "global_below": (
        "When the global norm is below clip_norm, nothing must change.",
        _GLOBAL[1],
    ),
    "global_zero": (
        "All-zero gradients have global norm 0: careful with the division.",
        "Divide clip_norm by the larger of the norm and clip_norm, never by the norm alone.",
    ),
    "global_none": (
        "None entries must stay None, in the same position, in the returned list.",
        "Scale the arrays and pass the None entries through unchanged.",
    ),
    "global_use_norm": (
        "When use_norm is given, it replaces the global norm you would compute.",
        "Compute the factor from use_norm, and return use_norm as the norm.",
    ),
    "global_use_norm_zero": (
        "use_norm=0.0 is a given norm, even though 0.0 is falsy in Python.",
        "Test whether use_norm was given with `is None`, not with its truth value.",
        "With use_norm=0.0 the factor is clip_norm divided by the larger of 0.0 and clip_norm, and the returned "
        "norm is 0.0.",
    ),
    "global_tuple": (
        "t_list may be a tuple of arrays as well as a list.",
        "Accept both lists and tuples (isinstance with a tuple of types), and return the clipped arrays as a list.",
    ),
    "norm_new_array": (
        "clip_by_norm must return a new array, even when the norm is already below clip_norm.",
        "Returning t itself lets the caller's later in-place changes reach your result (and the other way "
        "round): multiply by the factor, or copy, in every case.",
    ),
    "global_new_arrays": (
        "clip_by_global_norm must return new arrays, even when nothing needs clipping.",
        "Do not put the caller's own arrays into the returned list: scale (or copy) each one, in every case.",
    ),
    "global_inf": (
        "TensorFlow turns every entry into NaN when the global norm is infinite.",
        "With an infinite norm, the factor must itself become NaN (not 0): think about what inf minus inf is.",
    ),
    "global_float32": (
        "float32 gradients must stay float32.",
        "Cast each clipped array back to its own dtype if your arithmetic promoted it to float64.",
    ),
    "global_returns_tuple": (
        "clip_by_global_norm returns two things.",
        "Return a tuple: the list of clipped arrays and the global norm (a float) computed before clipping.",
    ),
    "global_not_a_list": (
        "What should happen when t_list is a single array instead of a list or tuple of arrays?",
        "Check the type of t_list first and raise TypeError when it is neither a list nor a tuple.",
    ),
    "global_no_mutation": (
        "Neither the list nor the arrays in it may change.",
        "Build a new list of new arrays; operators such as *= would modify the caller's arrays.",
    ),
}
