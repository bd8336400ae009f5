"""The compiled line reader of the clean stage (``_lines``, built by Cython) when it imports.

``KERNEL`` is the extension module, or None when it was not built (no C compiler at install
time); then ``lines`` runs its pure-Python twin, which gives identical lines, only slower.
"""

from __future__ import annotations

from types import ModuleType


def _load() -> ModuleType | None:
    try:
        from newsfold.clean import _lines
    except ImportError:
        return None
    return _lines


KERNEL: ModuleType | None = _load()


def compiled() -> bool:
    """Is the compiled line reader in use?"""
    return KERNEL is not None
