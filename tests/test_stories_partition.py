"""Tests of the bounded pieces that keep story refinement affordable on a giant component."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import ecb_articles

from newsfold.stories import (
    StoryOptions,
    similarity,
    stories_from_links,
    story_features,
)
from newsfold.stories.partition import bounded_pieces

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def graph() -> tuple[dict[str, object], list[tuple[str, str]]]:
    """The fixture's articles with every pair linked: one component of all of them (the links
    the stories stage finds among them form components of two at most)."""
    features = {k: story_features(a) for k, a in ecb_articles()[0].items()}
    ids = sorted(features)
    return features, [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]  # type: ignore[return-value]


def test_small_components_are_left_whole(graph: tuple[dict, list]) -> None:  # type: ignore[type-arg]
    features, links = graph
    options = StoryOptions()
    ids = sorted(features)
    # One component under the cap: refined whole, the stories are those of the whole graph.
    pieces = bounded_pieces(features, links, [], features, options, cap=len(ids))
    assert len(pieces) == 1
    whole = stories_from_links(features, links, [], options)
    refined = sorted(
        s
        for p in pieces
        for s in stories_from_links({m: features[m] for m in p.members}, p.links, [], options)
    )
    assert refined == whole
    assert len(whole) > 1
    assert sum(len(p.members) for p in pieces) == len(features)


def test_a_large_component_is_cut_by_its_strongest_links(graph: tuple[dict, list]) -> None:  # type: ignore[type-arg]
    features, links = graph
    options = StoryOptions()
    ids = sorted(features)
    cap = max(3, len(ids) // 4)
    group = tuple(ids[:3])  # a copy group: never cut, whatever the links
    pieces = bounded_pieces(features, links, [group], features, options, cap=cap)
    members = [m for p in pieces for m in p.members]
    assert sorted(members) == ids  # every node in exactly one piece
    assert all(len(p.members) <= max(cap, len(group)) for p in pieces)
    assert sum(group in p.copy_groups for p in pieces) == 1
    piece_of = {m: i for i, p in enumerate(pieces) for m in p.members}
    assert len({piece_of[m] for m in group}) == 1
    for piece in pieces:  # a piece's links lie inside it, and every link inside is kept
        inside = set(piece.members)
        assert all(a in inside and b in inside for a, b in piece.links)
        assert set(piece.links) == {(a, b) for a, b in links if a in inside and b in inside}
    # The strongest link outside the copy group is inside a piece (it is taken first).
    strongest = max(
        (similarity(features[a], features[b], options), a, b)
        for a, b in links
        if not (a in group and b in group)
    )
    assert piece_of[strongest[1]] == piece_of[strongest[2]]


def test_pieces_do_not_depend_on_input_order(graph: tuple[dict, list]) -> None:  # type: ignore[type-arg]
    features, links = graph
    options = StoryOptions()
    first = bounded_pieces(features, links, [], features, options, cap=5)
    assert len(first) >= 4
    shuffled = list(links)
    random.Random(3).shuffle(shuffled)
    nodes = list(features)
    random.Random(4).shuffle(nodes)
    flipped = [(b, a) for a, b in shuffled]
    assert bounded_pieces(nodes, flipped, [], features, options, cap=5) == first


def test_cap_must_allow_a_pair() -> None:
    with pytest.raises(ValueError):
        bounded_pieces([], [], [], {}, StoryOptions(), cap=1)
