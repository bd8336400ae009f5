"""Pieces of the story-link graph small enough to refine.

Links are deliberately loose (a candidate pair that looks alike is linked; average-link
refinement then decides), so on a real stream the link graph grows a giant connected component:
look-alike events chain into each other (1,636 of the 2,397 pages of the syndication benchmark
form one component). Refinement compares every pair of a component's members, so its cost and
memory grow with the square of the component (a 60k-article component would need a 28 GB
similarity matrix). :func:`bounded_pieces` cuts a component larger than ``cap`` before it is
refined: links are taken strongest first and a link that would make a piece larger than ``cap``
is left out (Kruskal's maximum spanning forest with a size bound), so the pieces keep the
strongest evidence and each piece is refined alone. Components up to ``cap`` are untouched, so
the result is the same as before wherever the graph is small.

Deterministic: it depends on the members, the links and the copy groups only (links sorted by
similarity, then by ids), so a batch run and an incremental run that rebuild the same members
get the same pieces.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from newsfold.copies.unionfind import UnionFind
from newsfold.stories.features import StoryFeatures
from newsfold.stories.link import similarity
from newsfold.stories.options import StoryOptions

Pair = tuple[str, str]

# The largest component refined whole. Refinement of k members costs about k^2 similarity
# computations plus k merges over k-vectors: 600 ECB+ articles refined as one component took
# 0.35-0.40 s of CPU. The labelled sets do not reach it (bench/pipeline.py scored the same
# story B3 before and after the cap came in).
DEFAULT_CAP = 600


@dataclass(frozen=True, slots=True)
class Piece:
    """Members refined together, with the links and copy groups that lie inside them."""

    members: tuple[str, ...]
    links: tuple[Pair, ...]
    copy_groups: tuple[tuple[str, ...], ...]


def bounded_pieces(
    nodes: Iterable[str],
    links: Iterable[Pair],
    copy_groups: Sequence[Sequence[str]],
    features: Mapping[str, StoryFeatures],
    options: StoryOptions,
    cap: int = DEFAULT_CAP,
) -> list[Piece]:
    """The connected components of ``links`` plus ``copy_groups`` over ``nodes``, each larger
    than ``cap`` cut into pieces of at most ``cap`` members by its strongest links.

    A copy group is never cut (it joins its story as one unit), so a piece can exceed ``cap``
    only by holding one large copy group. Links and groups outside ``nodes`` are ignored.
    """
    if cap < 2:
        raise ValueError(f"cap must be at least 2, got {cap}")
    members = sorted(set(nodes))
    inside = set(members)
    edges = sorted({(a, b) if a < b else (b, a) for a, b in links if a in inside and b in inside})
    groups = [tuple(sorted(m for m in g if m in inside)) for g in copy_groups]
    groups = [g for g in groups if len(g) > 1]

    whole = UnionFind(members)
    for group in groups:
        for other in group[1:]:
            whole.union(group[0], other)
    for a, b in edges:
        whole.union(a, b)
    pieces: list[tuple[str, ...]] = []
    for component in whole.components():
        if len(component) <= cap:
            pieces.append(component)
        else:
            pieces.extend(_cut(component, edges, groups, features, options, cap))

    piece_of = {m: i for i, piece in enumerate(pieces) for m in piece}
    links_of: list[list[Pair]] = [[] for _ in pieces]
    for a, b in edges:
        if piece_of[a] == piece_of[b]:
            links_of[piece_of[a]].append((a, b))
    groups_of: list[list[tuple[str, ...]]] = [[] for _ in pieces]
    for group in groups:
        groups_of[piece_of[group[0]]].append(group)
    return [Piece(piece, tuple(links_of[i]), tuple(groups_of[i])) for i, piece in enumerate(pieces)]


def _cut(
    component: Sequence[str],
    edges: Sequence[Pair],
    groups: Sequence[tuple[str, ...]],
    features: Mapping[str, StoryFeatures],
    options: StoryOptions,
    cap: int,
) -> list[tuple[str, ...]]:
    """One oversized component cut by its strongest links into pieces of at most ``cap``."""
    inside = set(component)
    uf = UnionFind(component)
    size = dict.fromkeys(component, 1)

    def join(a: str, b: str) -> None:
        root_a, root_b = uf.find(a), uf.find(b)
        if root_a != root_b:
            total = size[root_a] + size[root_b]
            uf.union(a, b)
            size[uf.find(a)] = total

    for group in groups:
        if group[0] in inside:
            for other in group[1:]:
                join(group[0], other)
    weighted = sorted(
        (-round(similarity(features[a], features[b], options), 9), a, b)
        for a, b in edges
        if a in inside
    )
    for _, a, b in weighted:
        root_a, root_b = uf.find(a), uf.find(b)
        if root_a != root_b and size[root_a] + size[root_b] <= cap:
            join(a, b)
    return uf.components()
