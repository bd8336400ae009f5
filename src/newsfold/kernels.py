"""Which compiled kernels this installation uses.

The hot loops of newsfold have compiled twins (Cython modules ``newsfold/**/_*.pyx``, built at
install time when a C compiler is present). Each gives exactly the result of its pure-Python
twin, which runs when the compiled module is missing; only the speed differs. Benchmarks print
this status so that a figure is never quoted from the slow path by mistake.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

# Every compiled kernel module, and what it speeds up.
KERNELS: dict[str, str] = {
    "newsfold._text": "word tokens and sentence splitting (text.py, story features)",
    "newsfold.stories._link": "story pair decisions (sorted-vector cosines) and the similarity "
    "matrix of a component",
    "newsfold.stories._features": "story features: term counts and weights, name spans, "
    "ranking and normalisation, numbers and dates",
    "newsfold.clean._lines": "clean text mode: line loop, line features and decisions, run "
    "search, slug and header matching, credits, word counts",
    "newsfold.copies._kernels": "copy detection: JSONL bodies, tokens, shingles, MinHash, "
    "candidate pairs, verification counts",
}


def load(name: str) -> ModuleType | None:
    """The compiled kernel module ``name``, or None when it is not built (or refuses to load,
    as a kernel does when the Python rules it mirrors have changed): its twin runs then."""
    try:
        return import_module(name)
    except ImportError:
        return None


def kernels_status() -> dict[str, bool]:
    """``{module: compiled}`` for every kernel module newsfold knows."""
    return {name: load(name) is not None for name in KERNELS}


def describe() -> str:
    """One line for benchmark headers: "kernels: compiled 2/2" or which ones are missing."""
    status = kernels_status()
    missing = [name for name, ok in status.items() if not ok]
    line = f"kernels: compiled {len(status) - len(missing)}/{len(status)}"
    return line + (f" (pure Python: {', '.join(missing)})" if missing else "")
