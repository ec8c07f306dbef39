"""nbgrader's side of the sandboxed kernel: what ``nbgrader autograde`` uses to run the students' cells.

The course's ``nbgrader_config.py`` (``grade nbgrader init``) puts :class:`SandboxedExecute` in place of
nbgrader's ``Execute`` in ``Autograde.autograde_preprocessors``. It starts every kernel through
:class:`SandboxedKernelManager`, whatever kernel the submitted notebook names (a student cannot pick
``python3`` to leave the sandbox): the kernelspec :data:`KERNEL_NAME`, whose command is the launcher
of :mod:`grader.integrations.nbgrader.kernel`, with ZMQ over the ``ipc`` transport. The connection
file and the ipc sockets live in a private runtime folder of their own, outside ``/tmp`` (which the
sandbox replaces by a private tmpfs), that the launcher binds into the sandbox at the same path; the
network namespace stays closed.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from typing import Any

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from nbgrader.preprocessors import Execute

KERNEL_NAME = "rnn-grader-sandbox"
DISPLAY_NAME = "Python 3 (rnn-grader sandbox)"
RUNTIME_PREFIX = "rnn-grader-kernel-"


def kernel_spec() -> KernelSpec:
    """The sandboxed kernel: the launcher, which wraps ``ipykernel`` in the bubblewrap profile."""
    return KernelSpec(argv=[sys.executable, "-m", "grader.integrations.nbgrader.kernel", "-f", "{connection_file}"],
                      display_name=DISPLAY_NAME, language="python", interrupt_mode="message",
                      env={}, metadata={"debugger": False})


def runtime_base() -> str:
    """Where the private runtime folders go: not under ``/tmp`` or ``/dev/shm``, which the sandbox hides."""
    for base in (os.environ.get("RNN_GRADER_KERNEL_RUNTIME", ""), "/var/tmp"):
        if base and os.path.isdir(base) and os.access(base, os.W_OK | os.X_OK):
            return base
    from jupyter_core.paths import jupyter_runtime_dir

    os.makedirs(jupyter_runtime_dir(), exist_ok=True)
    return jupyter_runtime_dir()


class SandboxedKernelManager(AsyncKernelManager):
    """Always the sandboxed kernelspec, over ``ipc`` in a private runtime folder."""

    _runtime: str | None = None

    @property
    def kernel_spec(self) -> KernelSpec:  # type: ignore[override]
        return kernel_spec()

    @property
    def ipykernel(self) -> bool:  # type: ignore[override]
        return True  # the launcher passes ipykernel's arguments on

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        if self._runtime is None:
            self._runtime = tempfile.mkdtemp(prefix=RUNTIME_PREFIX, dir=runtime_base())
            self.kernel_name = KERNEL_NAME
            self.transport = "ipc"
            self.connection_file = os.path.join(self._runtime, "kernel.json")
            self.ip = os.path.join(self._runtime, "kernel-ipc")
        return await super()._async_pre_start_kernel(**kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart and self._runtime is not None:
            shutil.rmtree(self._runtime, ignore_errors=True)
            self._runtime = None

    cleanup_resources = _async_cleanup_resources  # type: ignore[assignment]


class SandboxedExecute(Execute):
    """nbgrader's ``Execute`` with :class:`SandboxedKernelManager` (nbgrader passes its own class as a
    keyword argument, which configuration cannot override)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["kernel_manager_class"] = SandboxedKernelManager
        super().__init__(*args, **kwargs)
        self.kernel_name = KERNEL_NAME


def autograde_preprocessors() -> list[type]:
    """nbgrader's autograde preprocessors, with :class:`SandboxedExecute` in place of ``Execute``."""
    from nbgrader.converters.autograde import Autograde

    default = Autograde.class_traits()["autograde_preprocessors"].default()
    found = [SandboxedExecute if p is Execute else p for p in default]
    if SandboxedExecute not in found:
        raise RuntimeError("nbgrader's autograde no longer uses Execute: the sandboxed kernel cannot be installed")
    return found
