"""Probes for exercise-08 (the chapter's Keras models). NumPy and the standard library only.

The student's module imports Keras; these probes only call the public methods of the model it returns
(``layers``, ``get_config``, ``get_weights``, ``set_weights``, ``count_params`` and calling the model),
so the probe file itself never imports TensorFlow. Layers are numbered from 1, the ``InputLayer`` left
out and nested models flattened, as the contract lists them.

Loading this file (which the child does before it imports the student's module) sets TensorFlow's
logging and thread environment, so that the child starts quietly, uses one thread (deterministic and
fair on a shared machine) and does not print oneDNN notices.
"""
from __future__ import annotations

import os
import tempfile
import warnings
from typing import Any

import numpy as np

_QUIET = (("TF_CPP_MIN_LOG_LEVEL", "3"), ("TF_ENABLE_ONEDNN_OPTS", "0"), ("KERAS_BACKEND", "tensorflow"),
          ("TF_NUM_INTRAOP_THREADS", "1"), ("TF_NUM_INTEROP_THREADS", "1"))
for _name, _value in _QUIET:
    os.environ.setdefault(_name, _value)
if __name__ == "_grader_probes":  # in the sandboxed child only (the grader loads this file under another name)
    os.environ["CUDA_VISIBLE_DEVICES"] = ""  # student models run on the CPU: no GPU memory grabbed by a child
    # TensorFlow's import initialises fontconfig, which complains on stderr in a sandbox without /etc/fonts
    # (and the report would say the student's code printed something): give it an empty configuration
    _fonts = os.path.join(tempfile.gettempdir(), "rnn-grader-fonts.conf")
    try:
        with open(_fonts, "w", encoding="utf-8") as _fh:
            _fh.write("<?xml version=\"1.0\"?>\n<fontconfig></fontconfig>\n")
        os.environ.setdefault("FONTCONFIG_FILE", _fonts)
    except OSError:
        pass

_ndarray = np.ndarray  # captured before any student code is imported

# The configuration entries compared for each layer type (those that change what the layer computes).
CONFIG_KEYS: dict[str, tuple[str, ...]] = {
    "Embedding": ("input_dim", "output_dim", "mask_zero"),
    "Conv1D": ("filters", "kernel_size", "strides", "padding", "dilation_rate", "activation", "use_bias"),
    "MaxPooling1D": ("pool_size", "strides", "padding"),
    "GlobalMaxPooling1D": (),
    "Dense": ("units", "activation", "use_bias"),
    "SimpleRNN": ("units", "activation", "dropout", "recurrent_dropout", "return_sequences", "go_backwards",
                  "use_bias"),
    "Dropout": ("rate",),
}
_OTHER_KEYS = ("units", "filters", "kernel_size", "pool_size", "activation", "rate", "return_sequences")


class ContractError(Exception):
    """The submission does not have the shape the contract requires (message is student-facing)."""


def _args(arrays: dict[str, np.ndarray], params: dict[str, Any]) -> tuple[Any, ...]:
    if params["builder"] == "build_text_cnn":
        return arrays["embedding_matrix"], int(params["seq_len"]), int(params["n_classes"])
    return int(params["vocab_size"]), int(params["embed_dim"]), int(params["seq_len"]), int(params["units"])


def _build(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> tuple[Any, list[str]]:
    name = str(params["builder"])
    builder = getattr(mod, name, None)
    if not callable(builder):
        raise ContractError(f"Your module does not define the function {name}()")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = builder(*_args(arrays, params))
    if model is None or not callable(getattr(model, "get_weights", None)) or not hasattr(model, "layers"):
        raise ContractError(f"{name}() must return a keras.Model, but it returned {type(model).__name__}")
    return model, [str(w.message) for w in caught]


def _flat_layers(model: Any) -> list[Any]:
    out = []
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        if hasattr(layer, "layers") and callable(getattr(layer, "get_weights", None)):
            out.extend(_flat_layers(layer))  # a model used as a layer (the chapter nests a Sequential)
        else:
            out.append(layer)
    return out


def _plain(value: Any) -> Any:
    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    return str(value)


def _activation(layer: Any, config: dict[str, Any]) -> str:
    function = getattr(layer, "activation", None)
    name = getattr(function, "__name__", None)
    if isinstance(name, str):
        return name.removesuffix("_v2")  # tf.nn.softmax is softmax_v2
    value = config.get("activation")
    return value if isinstance(value, str) else str(value)


def _config(layer: Any) -> dict[str, Any]:
    config = dict(layer.get_config())
    keys = CONFIG_KEYS.get(type(layer).__name__, tuple(k for k in _OTHER_KEYS if k in config))
    return {key: _activation(layer, config) if key == "activation" else _plain(config.get(key)) for key in keys}


def _forward_input(arrays: dict[str, np.ndarray]) -> np.ndarray:
    return arrays["x"].copy()


def _call(model: Any, x: np.ndarray) -> np.ndarray:
    out = model(x, training=False)
    if isinstance(out, (list, tuple)):
        raise ContractError("The model must have a single output, but it returned a list")
    return np.asarray(out)


def _ensure_built(model: Any, x: np.ndarray) -> None:
    if not getattr(model, "built", True) or not model.get_weights():
        _call(model, x)


def structure(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """The layer types in order, each layer's configuration, and what the builder warned about."""
    model, caught = _build(mod, arrays, params)
    layers = _flat_layers(model)
    return {
        "types": {f"layer {k}": type(layer).__name__ for k, layer in enumerate(layers, 1)},
        "config": {f"layer {k}": _config(layer) for k, layer in enumerate(layers, 1)},
        "compiled": bool(getattr(model, "compiled", False) or getattr(model, "optimizer", None) is not None),
        "input_length": any("input_length" in text for text in caught),
    }


def embedding(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """The first Embedding layer: is it frozen, and what are its weights (before any call)?"""
    matrix = arrays["embedding_matrix"]
    model, _ = _build(mod, arrays, params)
    found = [layer for layer in _flat_layers(model) if type(layer).__name__ == "Embedding"]
    if not found:
        raise ContractError(f"{params['builder']}() has no Embedding layer")
    layer = found[0]
    if not layer.get_weights():
        _ensure_built(model, _forward_input(arrays))
    weights = layer.get_weights()
    return {"trainable": bool(layer.trainable), "weights": np.asarray(weights[0]) if weights else None,
            "embedding_matrix_after": matrix}


def shape_params(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """The output shape for a batch, and ``count_params()``."""
    model, _ = _build(mod, arrays, params)
    out = _call(model, _forward_input(arrays))
    return {"output_shape": [int(n) for n in out.shape], "count_params": int(model.count_params())}


def forward(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """The output for a batch after the reference's weights (``w00``, ``w01``, ...) are copied in."""
    model, _ = _build(mod, arrays, params)
    x = _forward_input(arrays)
    _ensure_built(model, x)
    layers = _flat_layers(model)
    types = {f"layer {k}": type(layer).__name__ for k, layer in enumerate(layers, 1)}
    shapes = {f"layer {k}": [[int(n) for n in np.shape(w)] for w in layer.get_weights()]
              for k, layer in enumerate(layers, 1)}
    weights = [arrays[f"w{k:02d}"] for k in range(int(params["n_weights"]))]
    try:
        model.set_weights(weights)
    except ValueError:
        return {"types": types, "weight_shapes": shapes, "probs": None}
    return {"types": types, "weight_shapes": shapes, "probs": _call(model, x)}
