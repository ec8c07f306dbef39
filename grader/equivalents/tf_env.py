"""Lazy, quiet TensorFlow: imported only where an equivalent is computed live."""
from __future__ import annotations

import os
from typing import Any


def import_tensorflow() -> Any:
    """Import TensorFlow with its logging silenced and, on a GPU, TF32 disabled."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    if tf.config.list_physical_devices("GPU"):
        tf.config.experimental.enable_tensor_float_32_execution(False)
    return tf


def device_name() -> str:
    """The device TensorFlow places new tensors on, e.g. ``/job:localhost/.../device:CPU:0``."""
    tf = import_tensorflow()
    return str(tf.constant(0.0).device) or "CPU:0"


def library_version() -> str:
    tf = import_tensorflow()
    import keras

    return f"TensorFlow {tf.__version__}, Keras {keras.__version__}"
