"""The compiled kernels of copy detection (``_kernels``, built by Cython) when they import.

One switch for every caller: ``KERNELS`` is the extension module, or None when it was not
built (no C compiler at install time), in which case each caller runs its numpy twin, which
gives identical arrays, only slower. The tests set ``KERNELS`` to None to compare the two.
"""

from __future__ import annotations

from types import ModuleType

from newsfold.kernels import load

KERNELS: ModuleType | None = load("newsfold.copies._kernels")


def compiled() -> bool:
    """Are the compiled kernels in use?"""
    return KERNELS is not None
