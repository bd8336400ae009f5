"""Shared fixtures: the seed pages and their hand labels."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"
SEED_IDS = ("000_c8debece95dd983e.txt", "001_7020bdc5a38482e3.txt", "004_82459974c147e689.txt")


@pytest.fixture(scope="session")
def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    """A folder with the three seed pages only."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name in SEED_IDS:
        shutil.copy(SEEDS / name, folder / name)
    return folder


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def ecb_articles(lang: str | None = "en") -> tuple[dict[str, Any], dict[str, str]]:
    """The ECB+ sample fixture as articles (title, one paragraph) and each one's gold subtopic."""
    from newsfold.models import Article

    articles: dict[str, Any] = {}
    gold: dict[str, str] = {}
    path = FIXTURES / "stories" / "ecbplus_sample.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        articles[doc["doc_id"]] = Article(
            id=doc["doc_id"], title=doc["title"], paragraphs=(doc["text"],), lang=lang
        )
        gold[doc["doc_id"]] = doc["subtopic"]
    return articles, gold
