"""Union-find (disjoint sets) over hashable items, for grouping verified copy pairs; and its array
form, connected-component labels of integer nodes."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any, Generic, TypeVar

import numpy as np

T = TypeVar("T", bound=Hashable)
# What ``find`` reads for an item not added yet (any hashable, None too, can be an item).
_NEW: Any = object()


class UnionFind(Generic[T]):
    """Disjoint sets with path halving and union by size.

    >>> uf = UnionFind[str]()
    >>> uf.union("a", "b"); uf.union("c", "d"); uf.union("b", "a")
    >>> uf.find("a") == uf.find("b"), uf.find("a") == uf.find("c")
    (True, False)
    >>> uf.union("d", "a")
    >>> sorted(sorted(g) for g in uf.groups())
    [['a', 'b', 'c', 'd']]
    >>> uf.add("e"); sorted(len(g) for g in uf.groups())
    [1, 4]
    """

    __slots__ = ("_parent", "_size")

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._parent: dict[T, T] = {}
        self._size: dict[T, int] = {}
        for item in items:
            self.add(item)

    def add(self, item: T) -> None:
        """Make ``item`` a set of its own if it is not known yet."""
        if item not in self._parent:
            self._parent[item] = item
            self._size[item] = 1

    def __contains__(self, item: object) -> bool:
        return item in self._parent

    def find(self, item: T) -> T:
        """The representative of ``item``'s set (adding ``item`` if new)."""
        parent = self._parent
        up = parent.get(item, _NEW)
        if up is _NEW:
            self.add(item)
            return item
        while up != item:
            grand = parent[up]
            parent[item] = grand
            item = grand
            up = parent[item]
        return item

    def union(self, first: T, second: T) -> None:
        """Merge the sets of ``first`` and ``second``."""
        find = self.find
        root_a, root_b = find(first), find(second)
        if root_a == root_b:
            return
        if self._size[root_a] < self._size[root_b]:
            root_a, root_b = root_b, root_a
        self._parent[root_b] = root_a
        self._size[root_a] += self._size[root_b]

    def groups(self) -> list[list[T]]:
        """Every set as a list, in the order items were first added."""
        by_root: dict[T, list[T]] = {}
        for item in self._parent:
            by_root.setdefault(self.find(item), []).append(item)
        return list(by_root.values())

    def components(self: UnionFind[str]) -> list[tuple[str, ...]]:
        """Every set as a sorted tuple, the sets sorted: independent of insertion order.

        >>> uf = UnionFind(["b", "a", "c"]); uf.union("c", "a")
        >>> uf.components()
        [('a', 'c'), ('b',)]
        """
        return sorted(tuple(sorted(group)) for group in self.groups())


def component_labels(count: int, edges: np.ndarray) -> np.ndarray:
    """Connected-component labels of ``count`` nodes under ``edges`` (n x 2): the least member.

    Min-label propagation with pointer jumping, all in array operations.

    >>> component_labels(5, np.array([[3, 4], [1, 3]])).tolist()
    [0, 1, 2, 1, 1]
    """
    labels = np.arange(count, dtype=np.int64)
    if len(edges) == 0:
        return labels
    a, b = edges[:, 0], edges[:, 1]
    while True:
        low = np.minimum(labels[a], labels[b])
        before = labels.copy()
        np.minimum.at(labels, a, low)
        np.minimum.at(labels, b, low)
        labels = labels[labels]
        if np.array_equal(labels, before):
            return labels
