"""Stable ids for groups that grow, merge and split as pages arrive (copy groups, stories).

A client that saw story ``s1`` should find it again after more pages came in. So a recomputed
component keeps the id most of its members had before; when two stories merge, the one with more
members survives and the other id becomes an alias pointing to it; when a story splits, the part
holding most of its old members keeps the id and the others get new ids. A component with no
previous id is named after its smallest member, so a batch run (where nothing existed before)
names every group the same way whatever the order of the pages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Mapping, Sequence

import xxhash


def short_id(prefix: str, key: str) -> str:
    """A stable id derived from a member id.

    >>> short_id("s", "000_c8debece95dd983e.txt")
    's4ab9f477ffab'
    """
    return prefix + xxhash.xxh64_hexdigest(key.encode("utf-8"))[:12]


def assign_ids(
    components: Sequence[Sequence[str]],
    previous: Mapping[str, str | None],
    prefix: str,
    taken: Container[str] = frozenset(),
) -> tuple[dict[str, str], dict[str, str]]:
    """Name each component; returns (member -> id, retired id -> surviving id).

    ``previous`` maps members to the id their group had before (None or absent when new);
    ``taken`` holds ids in use outside these components, which a new name must avoid: any
    container, asked only about the names this call would give (a store answers that with a
    few indexed look-ups, where listing every id it holds grows with the store).

    >>> ids, retired = assign_ids([("a", "b", "c")], {"a": "s1", "b": "s1", "c": "s2"}, "s")
    >>> ids["c"], retired
    ('s1', {'s2': 's1'})
    >>> ids, retired = assign_ids([("a",), ("b", "c")], {"a": "s1", "b": "s1", "c": "s1"}, "s")
    >>> ids["b"], ids["a"] != "s1", retired
    ('s1', True, {})
    """
    claims: list[tuple[int, str, int]] = []
    for index, members in enumerate(components):
        counts = Counter(previous.get(m) for m in members)
        counts.pop(None, None)
        claims.extend((-count, old, index) for old, count in counts.items() if old is not None)
    # the largest share of old members claims first; ties go to the smaller old id, then the
    # earlier component (components come sorted), so the outcome is deterministic
    claims.sort(key=lambda claim: (claim[0], claim[1], claim[2]))
    name: dict[int, str] = {}
    claimed: set[str] = set()
    for _, old, index in claims:
        if index not in name and old not in claimed:
            name[index] = old
            claimed.add(old)
    used = set(claimed)
    for index, members in enumerate(components):
        if index in name:
            continue
        first = min(members)
        candidate, n = short_id(prefix, first), 1
        while candidate in used or candidate in taken:
            candidate, n = short_id(prefix, f"{first}#{n}"), n + 1
        name[index] = candidate
        used.add(candidate)
    member_id = {m: name[i] for i, members in enumerate(components) for m in members}
    retired: dict[str, str] = {}
    olds = {old for _, old, _ in claims}
    for old in sorted(olds - claimed):
        heirs = Counter(member_id[m] for m in member_id if previous.get(m) == old)
        retired[old] = min(heirs.items(), key=lambda item: (-item[1], item[0]))[0]
    return member_id, retired
