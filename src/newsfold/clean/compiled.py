"""The compiled line reader of the clean stage (``_lines``, built by Cython) when it imports.

``KERNEL`` is the extension module, or None when it was not built (no C compiler at install
time); then ``lines`` runs its pure-Python twin, which gives identical lines, only slower.
"""

from __future__ import annotations

from types import ModuleType

from newsfold.kernels import load

KERNEL: ModuleType | None = load("newsfold.clean._lines")


def compiled() -> bool:
    """Is the compiled line reader in use?"""
    return KERNEL is not None
