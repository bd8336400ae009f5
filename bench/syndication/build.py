"""Build the syndication benchmark: real articles republished on real site chrome, with wire edits.

Sources are real articles from the shared data folder (ECB+, Multi-News, Zyte gold bodies);
sites are real page chrome (the lines of each zyte-text page that are not in its gold body).
Each source is published on one site, and some are syndicated to other sites with the edits
republishing makes (see ``README.md`` next to this file). The gold answer: pages made from one
source carry the same text; everything else is a negative, including the hard ones (different
articles on one event, different articles of one site sharing its chrome).

    .venv/bin/python bench/syndication/build.py OUT [--data ../shared/data] [--seed 0]
    .venv/bin/python bench/syndication/build.py OUT --speed 100000     # the 100k-page speed corpus

Writes ``OUT/pages.jsonl`` (``id``, ``text``, ``site``: the raw page, one block per line),
``OUT/bodies.jsonl`` (``id``, ``paragraphs``: the page's article alone, as a perfect clean stage
would give it), ``OUT/gold.jsonl`` (``id``, ``family``, ``source``, ``site``, ``edits``) and
``OUT/manifest.json``. The same data folder, seed and arguments give the same files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

FORMAT = 1


@dataclass
class Source:
    """A real article: its headline, paragraphs and what it is about (the hard-negative label)."""

    key: str
    headline: str
    paragraphs: list[str]
    topic: str


@dataclass
class Site:
    """A real page's chrome: the lines above and below its article."""

    name: str
    before: list[str]
    after: list[str]


@dataclass
class Built:
    pages: list[dict[str, object]] = field(default_factory=list)
    bodies: list[dict[str, object]] = field(default_factory=list)
    gold: list[dict[str, object]] = field(default_factory=list)


# --- reading the real parts ----------------------------------------------------------------------

_SENTENCE = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][\"'\u201d\u2019)]))\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])"
)


def split_sentences(text: str) -> list[str]:
    """A simple sentence split (the benchmark must not depend on newsfold's own splitter)."""
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def _shingles(text: str) -> set[str]:
    tokens = re.findall(r"\w+", text.lower())
    return {" ".join(tokens[i : i + 5]) for i in range(max(0, len(tokens) - 4))}


def _headline(sentence: str, words: int = 14) -> str:
    parts = sentence.split()
    return " ".join(parts[:words]).rstrip(",;:")


def load_sources(data: Path) -> list[Source]:
    """Real articles: ECB+ (2-3 sentences per paragraph), Multi-News and Zyte gold bodies.

    Articles under 80 words are left out, and so is any article sharing 30% of its word 5-grams
    with an earlier one (the corpora hold real copies, which would make the gold answer wrong).
    """
    sources: list[Source] = []
    for line in (data / "ecbplus" / "ecbplus_docs.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        sents = split_sentences(doc["text"])
        paragraphs = [" ".join(sents[i : i + 3]) for i in range(0, len(sents), 3)]
        sources.append(
            Source(
                f"ecb:{doc['doc_id']}",
                _headline(doc["title"]),
                paragraphs,
                f"ecb:{doc['subtopic']}",
            )
        )
    for line in (
        (data / "multinews-dev" / "clusters.jsonl").read_text(encoding="utf-8").splitlines()
    ):
        story = json.loads(line)
        for k, doc in enumerate(story["docs"]):
            paragraphs = [p.strip() for p in doc.split("\n") if p.strip()]
            if paragraphs:
                head = split_sentences(paragraphs[0])[0]
                sources.append(
                    Source(
                        f"mn:{story['id'][:12]}:{k}",
                        _headline(head),
                        paragraphs,
                        f"mn:{story['id']}",
                    )
                )
    for gold in sorted((data / "zyte-text" / "gold").glob("*.txt")):
        lines = [x.strip() for x in gold.read_text(encoding="utf-8").splitlines() if x.strip()]
        if len(lines) > 1:
            head = lines[0] if len(lines[0].split()) <= 20 else _headline(lines[0])
            body = lines[1:] if len(lines[0].split()) <= 20 else lines
            sources.append(Source(f"zyte:{gold.stem[:12]}", head, body, f"zyte:{gold.stem}"))
    sources = [s for s in sources if sum(len(p.split()) for p in s.paragraphs) >= 80]
    return _distinct(sources)


def _distinct(sources: list[Source]) -> list[Source]:
    sets = [_shingles(" ".join(s.paragraphs)) for s in sources]
    owners: dict[str, list[int]] = {}
    for k, shingles in enumerate(sets):
        for shingle in shingles:
            owners.setdefault(shingle, []).append(k)
    dropped: set[int] = set()
    for k, shingles in enumerate(sets):
        if k in dropped:
            continue
        shared: dict[int, int] = {}
        for shingle in shingles:
            for other in owners[shingle]:
                if other > k:
                    shared[other] = shared.get(other, 0) + 1
        for other, count in shared.items():
            if count >= 0.3 * max(1, min(len(shingles), len(sets[other]))):
                dropped.add(other)
    return [s for k, s in enumerate(sources) if k not in dropped]


def load_sites(data: Path) -> list[Site]:
    """Real chrome: the zyte-text lines before the first and after the last gold-body line."""
    sites: list[Site] = []
    for gold in sorted((data / "zyte-text" / "gold").glob("*.txt")):
        body = {x.strip() for x in gold.read_text(encoding="utf-8").splitlines() if x.strip()}
        lines = [
            x.strip()
            for x in (data / "zyte-text" / gold.name).read_text(encoding="utf-8").splitlines()
            if x.strip()
        ]
        inside = [k for k, x in enumerate(lines) if x in body]
        if inside:
            sites.append(Site(gold.stem[:12], lines[: inside[0]], lines[inside[-1] + 1 :]))
    return sites


# --- the edits of republishing -------------------------------------------------------------------

COPY_EDITS = {
    "said": "says",
    "says": "said",
    "told": "said to",
    "after": "following",
    "before": "prior to",
    "but": "however",
    "about": "around",
    "also": "as well",
    "percent": "per cent",
    "people": "persons",
    "because": "as",
    "while": "whereas",
}
ADDED_LINES = [
    "Additional reporting by {agency}.",
    "This story has been updated with additional details.",
    "{agency} contributed to this report.",
    "Copyright {year} {agency}. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
    "Check back for updates on this developing story.",
]
AGENCIES = ["The Associated Press", "Reuters", "AFP", "Bloomberg", "dpa"]
INSERTED = [
    "ADVERTISEMENT",
    "Advertisement",
    "Story continues below advertisement",
    "Read more: {teaser}",
    "RELATED: {teaser}",
    "Continue reading below",
]


def straight_to_curly(text: str) -> str:
    text = re.sub(r'"(?=\w)', "\u201c", text)
    text = text.replace('"', "\u201d")
    return text.replace("'", "\u2019").replace(" - ", " \u2014 ")


def curly_to_straight(text: str) -> str:
    for curly, plain in (
        ("\u201c", '"'),
        ("\u201d", '"'),
        ("\u2018", "'"),
        ("\u2019", "'"),
        ("\u2014", "-"),
    ):
        text = text.replace(curly, plain)
    return text


def copy_edit(paragraph: str, rng: random.Random, rate: float) -> str:
    out = []
    for word in paragraph.split(" "):
        if rng.random() < rate:
            bare = word.lower().strip(".,;:")
            if bare in COPY_EDITS:
                word = word.replace(bare, COPY_EDITS[bare]) if word.islower() else COPY_EDITS[bare]
            elif len(word) > 6 and rng.random() < 0.3:
                k = rng.randrange(1, len(word) - 1)
                word = word[:k] + word[k + 1 :]  # a typo fixed (or made) by a copy desk
        out.append(word)
    return " ".join(out)


def new_headline(headline: str, rng: random.Random) -> str:
    words = headline.split()
    choice = rng.random()
    if choice < 0.4 and len(words) > 5:
        words = words[: rng.randint(4, len(words) - 1)]
    elif choice < 0.7:
        words = [w.capitalize() if len(w) > 3 else w for w in words]
    else:
        rng.shuffle(words)
    return " ".join(words)


def republish(
    source: Source, rng: random.Random, teasers: Sequence[str], strength: float
) -> tuple[str, list[str], list[str]]:
    """One syndicated copy: ``(headline, paragraphs, edits)``.

    Truncation is the most common wire edit; the others come with their own chances. ``strength``
    scales the chances (1.0 for the main benchmark).
    """
    paragraphs = list(source.paragraphs)
    headline = source.headline
    edits: list[str] = []
    agency = rng.choice(AGENCIES)
    if rng.random() < 0.6 * strength:
        headline = new_headline(headline, rng)
        edits.append("headline")
    if rng.random() < 0.6 * strength and len(paragraphs) > 3:
        keep = max(2, round(len(paragraphs) * rng.uniform(0.35, 0.9)))
        while keep < len(paragraphs) and sum(len(p.split()) for p in paragraphs[:keep]) < 60:
            keep += 1
        paragraphs = paragraphs[:keep]
        edits.append("truncated")
    if rng.random() < 0.25 * strength and len(paragraphs) > 3:
        del paragraphs[rng.randrange(1, len(paragraphs))]
        edits.append("dropped")
    if rng.random() < 0.25 * strength:
        line = rng.choice(ADDED_LINES).format(agency=agency, year=rng.randint(2009, 2020))
        paragraphs.insert(
            rng.choice([len(paragraphs), rng.randrange(1, len(paragraphs) + 1)]), line
        )
        edits.append("added")
    if rng.random() < 0.2 * strength and len(paragraphs) > 2:
        k = rng.randrange(len(paragraphs) - 1)
        paragraphs[k : k + 2] = [paragraphs[k] + " " + paragraphs[k + 1]]
        edits.append("merged")
    if rng.random() < 0.2 * strength:
        k = rng.randrange(len(paragraphs))
        sents = split_sentences(paragraphs[k])
        if len(sents) > 1:
            cut = rng.randrange(1, len(sents))
            paragraphs[k : k + 1] = [" ".join(sents[:cut]), " ".join(sents[cut:])]
            edits.append("split")
    if rng.random() < 0.4 * strength:
        rate = rng.uniform(0.02, 0.08)
        paragraphs = [copy_edit(p, rng, rate) for p in paragraphs]
        edits.append("copy-edited")
    if rng.random() < 0.5 * strength:
        convert = straight_to_curly if rng.random() < 0.5 else curly_to_straight
        paragraphs = [convert(p) for p in paragraphs]
        headline = convert(headline)
        edits.append("quotes")
    if rng.random() < 0.3 * strength and paragraphs:
        paragraphs[0] = (
            f"{rng.choice(['WASHINGTON', 'LONDON', 'NEW YORK', 'PARIS'])} ({agency.split()[-1]}) \u2014 {paragraphs[0]}"
        )
        edits.append("dateline")
    if rng.random() < 0.4 * strength:
        for _ in range(rng.randint(1, 3)):
            line = rng.choice(INSERTED).format(teaser=rng.choice(teasers))
            paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), line)
        edits.append("inserted")
    return headline, paragraphs, edits


def _copies_count(rng: random.Random) -> int:
    # Most stories are not syndicated at all; a few are everywhere.
    roll = rng.random()
    if roll < 0.45:
        return 0
    if roll < 0.65:
        return 1
    if roll < 0.8:
        return 2
    if roll < 0.9:
        return 3
    return rng.randint(4, 7)


def _page_chrome(site: Site, rng: random.Random) -> tuple[list[str], list[str]]:
    # A site's chrome changes a little from page to page (teasers rotate, a banner comes and goes).
    before = [x for x in site.before if rng.random() > 0.08]
    after = [x for x in site.after if rng.random() > 0.08]
    return before, after


def build(sources: list[Source], sites: list[Site], seed: int, strength: float = 1.0) -> Built:
    """The benchmark pages, their bodies and the gold families (deterministic in ``seed``)."""
    rng = random.Random(seed)
    # Sites get pages with a skewed popularity, so some sites carry many articles (the case where
    # shared chrome alone could look like a copy).
    weights = [1.0 / (rank + 1) ** 0.5 for rank in range(len(sites))]
    order = list(range(len(sites)))
    rng.shuffle(order)
    teasers = [s.headline for s in sources]
    built = Built()
    for family, source in enumerate(sources):
        versions = [(source.headline, list(source.paragraphs), ["original"])]
        versions += [republish(source, rng, teasers, strength) for _ in range(_copies_count(rng))]
        chosen: list[int] = []
        while len(chosen) < len(versions):
            site = order[rng.choices(range(len(sites)), weights)[0]]
            if site not in chosen or len(chosen) >= len(sites):
                chosen.append(site)
        for number, ((headline, paragraphs, edits), site_index) in enumerate(
            zip(versions, chosen, strict=True)
        ):
            site = sites[site_index]
            before, after = _page_chrome(site, rng)
            page_id = "p" + hashlib.sha1(f"{seed}:{family}:{number}".encode()).hexdigest()[:12]
            lines = [*before, headline, *paragraphs, *after]
            built.pages.append({"id": page_id, "text": "\n".join(lines), "site": site.name})
            built.bodies.append({"id": page_id, "paragraphs": [headline, *paragraphs]})
            built.gold.append(
                {
                    "id": page_id,
                    "family": family,
                    "source": source.key,
                    "topic": source.topic,
                    "site": site.name,
                    "edits": edits,
                }
            )
    # Pages in a shuffled order: nothing may depend on families arriving together.
    order_pages = list(range(len(built.pages)))
    rng.shuffle(order_pages)
    built.pages = [built.pages[k] for k in order_pages]
    built.bodies = [built.bodies[k] for k in order_pages]
    built.gold = [built.gold[k] for k in order_pages]
    return built


# --- the speed corpus ----------------------------------------------------------------------------


def grow(
    sources: list[Source], pages: int, seed: int, page_bytes: int = 6200
) -> list[dict[str, object]]:
    """``pages`` bodies of about ``page_bytes`` grown from the real articles, with copies.

    A new article is real sentences drawn from the whole pool with a third of their words
    swapped for other real words (so two grown articles do not share text by accident), cut to
    about ``page_bytes``; then it is republished as above. Records: ``id``, ``paragraphs``,
    ``family``.
    """
    rng = random.Random(seed)
    # English news only (ECB+ and Multi-News): a page is written in one language.
    english = [s for s in sources if not s.key.startswith("zyte:")]
    pool = [s for source in english for p in source.paragraphs for s in split_sentences(p)]
    vocabulary = sorted({w for s in pool for w in s.split()})
    teasers = [s.headline for s in sources]
    out: list[dict[str, object]] = []
    family = 0
    while len(out) < pages:
        paragraphs: list[str] = []
        size = 0
        while size < page_bytes:
            sents = []
            for _ in range(rng.randint(1, 3)):
                words = rng.choice(pool).split()
                sents.append(
                    " ".join(w if rng.random() > 0.33 else rng.choice(vocabulary) for w in words)
                )
            paragraph = " ".join(sents)
            paragraphs.append(paragraph)
            size += len(paragraph) + 2
        source = Source(f"grown:{family}", " ".join(rng.choice(pool).split()[:10]), paragraphs, "")
        versions = [(source.headline, paragraphs, ["original"])]
        versions += [republish(source, rng, teasers, 1.0) for _ in range(_copies_count(rng))]
        for number, (headline, body, _) in enumerate(versions):
            if len(out) < pages:
                out.append(
                    {
                        "id": f"g{family:07d}-{number}",
                        "paragraphs": [headline, *body],
                        "family": family,
                    }
                )
        family += 1
    rng.shuffle(out)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write (outside the repository)")
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[3] / "shared" / "data"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--strength", type=float, default=1.0, help="scale of the edit chances")
    parser.add_argument(
        "--speed", type=int, default=0, help="write the N-page speed corpus instead"
    )
    args = parser.parse_args(argv)
    if not (args.data / "ecbplus").is_dir() or not (args.data / "zyte-text").is_dir():
        print(f"error: no labelled data in {args.data} (pass --data)", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    sources = load_sources(args.data)
    if args.speed:
        records = grow(sources, args.speed, args.seed)
        with (args.out / "speed.jsonl").open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record) + "\n")
        print(f"{len(records)} pages -> {args.out / 'speed.jsonl'}")
        return 0
    sites = load_sites(args.data)
    built = build(sources, sites, args.seed, args.strength)
    for name, rows in (("pages", built.pages), ("bodies", built.bodies), ("gold", built.gold)):
        with (args.out / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    families = {g["family"] for g in built.gold}
    manifest = {
        "format": FORMAT,
        "seed": args.seed,
        "strength": args.strength,
        "pages": len(built.pages),
        "sources": len(sources),
        "families": len(families),
        "sites": len(sites),
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(manifest))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
