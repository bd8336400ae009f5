"""Build the compiled kernels: every ``src/newsfold/**/_*.pyx`` becomes an extension module.

The metadata lives in ``pyproject.toml``; this file only lists the Cython kernels. Each kernel
module has a pure-Python/numpy twin that gives identical results (the tests compare them), so a
machine without a C compiler still installs newsfold (the extensions are optional) and runs it,
only slower; ``newsfold.kernels_status()`` tells which kernels are compiled.
"""

from __future__ import annotations

from pathlib import Path

from Cython.Build import cythonize
from setuptools import Extension, setup

SRC = Path("src")

extensions = [
    Extension(
        ".".join(path.with_suffix("").relative_to(SRC).parts),
        [str(path)],
        # No fused multiply-add contraction: the twins compute a * b + c in two roundings
        # (numpy, Python floats), so a kernel must too to give the same floats on every machine
        # (x86-64's baseline has no FMA, aarch64's has).
        extra_compile_args=["-O3", "-ffp-contract=off"],
        optional=True,
    )
    for path in sorted(SRC.rglob("_*.pyx"))
]

setup(
    ext_modules=cythonize(
        extensions,
        compiler_directives={
            "language_level": "3",
            "boundscheck": False,
            "wraparound": False,
            "cdivision": True,
            "initializedcheck": False,
        },
    )
)
