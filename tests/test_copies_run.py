"""``run --stages copies`` takes a batch path without a store: it must write what the store path
writes for the same pages (records, copy group ids, counts, skips)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SEED_IDS, SEEDS

from newsfold import Settings, Store, run
from newsfold.api import write_outputs
from newsfold.index import Index
from newsfold.ingest import read_inputs

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "pages"


def _corpus(path: Path) -> Path:
    """Seed pages on three sites that share chrome lines, a copy across sites, an empty page, a
    repeated id with other content, the same page twice, and a malformed line."""
    chrome = "Home\nWorld\nSport\nSign up for our newsletter\n\u00a9 2019 Example Media"
    seeds = [(SEEDS / name).read_text(encoding="utf-8") for name in SEED_IDS]
    records = [
        {"id": "a1", "text": f"{chrome}\n\n{seeds[0]}", "site": "a.example"},
        {"id": "a2", "text": f"{chrome}\n\n{seeds[2]}", "site": "a.example"},
        {
            "id": "a3",
            "text": f"{chrome}\n\nShort note about the weather today.",
            "site": "a.example",
        },
        {"id": "b1", "text": f"Menu\nAbout\n\n{seeds[1]}", "site": "b.example"},
        {"id": "c1", "text": seeds[0]},
        {"id": "empty", "text": "   "},
        {"id": "a1", "text": "other content under a known id", "site": "a.example"},
        {"id": "b1", "text": f"Menu\nAbout\n\n{seeds[1]}", "site": "b.example"},
    ]
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(record) + "\n" for record in records)
        handle.write("{not json\n")
    return path


def _indexed(inputs: list[Path], out: Path, tmp: Path) -> dict:  # type: ignore[type-arg]
    settings = Settings(stages=("copies",))
    index = Index(Store(tmp / "store.db"), settings)
    report = index.add(read_inputs(inputs, settings.ingest))
    out.mkdir()
    write_outputs(index, out, report)
    index.store.close()
    return report.to_dict()


def test_copies_only_batch_path_writes_what_the_store_path_writes(tmp_path: Path) -> None:
    inputs = [EXAMPLES, _corpus(tmp_path / "corpus.jsonl")]
    batch = run(inputs, tmp_path / "batch", Settings(stages=("copies",)))
    stored = _indexed(inputs, tmp_path / "stored", tmp_path)
    for name in ("articles.jsonl", "stories.jsonl"):
        assert (tmp_path / "batch" / name).read_text("utf-8") == (
            tmp_path / "stored" / name
        ).read_text("utf-8"), name
    mine = batch.to_dict()
    assert mine["pages"] == stored["pages"]
    assert mine["copies"]["groups"] == stored["copies"]["groups"] >= 2
    assert [s["id"] for s in mine["skips"]] == [s["id"] for s in stored["skips"]]
    text = (tmp_path / "batch" / "articles.jsonl").read_text(encoding="utf-8")
    records = [json.loads(x) for x in text.splitlines()]
    group = {r["id"]: r["copy_group"] for r in records}
    assert group["a1"] == group["c1"]  # the same text on another site (and on none)
    assert group["a1"] != group["a2"]  # shared chrome does not make a site's pages copies
    assert "empty" not in group  # an empty page is a counted skip, as in the store path
    assert mine["pages"]["skipped"] >= 3  # the empty page, the other a1, the malformed line
