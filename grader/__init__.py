"""rnn-grader: exercises and a sandboxed grader for the RNN chapter.

``%load_ext grader`` registers the ``%grade`` magics and ``grader.check(exercise, path=...)`` returns a
``GradeReport``; both are imported lazily, so ``import grader`` loads neither IPython nor TensorFlow.
"""
from __future__ import annotations

from typing import Any

__all__ = ["check", "load_ipython_extension"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from grader.integrations import jupyter

        return getattr(jupyter, name)
    raise AttributeError(f"module 'grader' has no attribute {name!r}")
