"""Topics: stories about one broader subject (two celebrities in rehab, two IE patches) grouped.

A story is one event; a topic gathers the stories of one subject so a reader can ask for either
level. Each story is summarised by the centroid of its members' term and entity vectors; two
stories whose centroids share a key and reach ``options.topic_threshold`` are linked, and the
linked components are refined by plain average link at that threshold (the same kernel as the
stories). The result is a function of the set of stories and their members' features alone:
order-independent, and the same whether the stories were built in one batch or incrementally.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence

from newsfold.stories.cluster import find_links, stories_from_links
from newsfold.stories.features import StoryFeatures
from newsfold.stories.options import StoryOptions


def _centroid(
    vectors: Sequence[tuple[tuple[str, float], ...]], keep: int
) -> tuple[tuple[str, float], ...]:
    totals: dict[str, float] = {}
    for vector in vectors:
        for term, weight in vector:
            totals[term] = totals.get(term, 0.0) + weight
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:keep]
    norm = math.sqrt(sum(w * w for _, w in ranked))
    if norm == 0:
        return ()
    # Rounded so that the order of float additions cannot change a later decision.
    return tuple((term, round(weight / norm, 6)) for term, weight in ranked)


def story_centroid(
    members: Sequence[str],
    features: Mapping[str, StoryFeatures],
    options: StoryOptions | None = None,
) -> StoryFeatures:
    """One story as one feature vector: the normalised sum of its members' term/entity vectors.

    Members are visited in sorted order, so the centroid depends on the member set alone.
    Numbers, dates and the publication date are left out: a topic spans events and time.
    """
    options = options or StoryOptions()
    present = [features[m] for m in sorted(set(members)) if m in features]
    return StoryFeatures(
        terms=_centroid([f.terms for f in present], options.max_terms),
        entities=_centroid([f.entities for f in present], options.max_terms),
    )


def topics_from_stories(
    features: Mapping[str, StoryFeatures],
    stories: Mapping[str, Sequence[str]],
    options: StoryOptions | None = None,
) -> list[tuple[str, ...]]:
    """Group story ids into topics; sorted, each topic's story ids sorted.

    ``stories`` maps a story id to its member article ids; ``features`` holds the members'
    features (a member without features is ignored in its story's centroid). Every story id
    appears in exactly one topic.
    """
    options = options or StoryOptions()
    centroids = {
        story_id: story_centroid(members, features, options)
        for story_id, members in stories.items()
    }
    # The story kernels at the topic level: a lower threshold, plain average link (topics are
    # loose by nature, so no cohesion test), no time window (a topic spans time).
    topic_options = dataclasses.replace(
        options, threshold=options.topic_threshold, cohesion_ratio=0.0, window_days=0
    )
    links = find_links(centroids, topic_options)
    return stories_from_links(centroids, links, (), topic_options)
