"""The stories stage: group different write-ups of one event, order-independently.

Pipeline position: after copies, before digest. Articles become ``StoryFeatures`` (weighted terms
from a fixed frequency table, names, numbers, dates), candidates come from an inverted index of a
few rare, strong terms per article (time-slotted when the date is known), ``linked`` decides each
candidate pair, and ``cluster`` takes the connected components (copy groups joining as a unit)
refined by average link with a look-alike split test. ``topics_from_stories`` groups the stories
into broader topics with the same kernels over story centroids.
"""

from newsfold.stories.cluster import (
    candidate_pairs,
    cluster,
    find_links,
    refine,
    stories_from_links,
)
from newsfold.stories.features import StoryFeatures, story_features
from newsfold.stories.link import (
    IndexEntry,
    IndexLookup,
    TermIndex,
    index_keys,
    linked,
    linked_many,
    similarity,
)
from newsfold.stories.options import StoryOptions
from newsfold.stories.topics import story_centroid, topics_from_stories

__all__ = [
    "IndexEntry",
    "IndexLookup",
    "StoryFeatures",
    "StoryOptions",
    "TermIndex",
    "candidate_pairs",
    "cluster",
    "find_links",
    "index_keys",
    "linked",
    "linked_many",
    "refine",
    "similarity",
    "stories_from_links",
    "story_centroid",
    "story_features",
    "topics_from_stories",
]
