"""How the articles of a story relate: the original of a copy group, its copies, independents."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from newsfold.models import Article, CopyGroup, CopyPair, Source


def _words(article: Article) -> int:
    return sum(len(p.split()) for p in article.paragraphs)


def _original(
    members: Sequence[str], pairs: Sequence[CopyPair], by_id: Mapping[str, Article]
) -> str:
    """The member that is the fuller side of the most pairs; then the longest; then the first id."""
    fuller = Counter(pair.fuller for pair in pairs if pair.fuller in members)
    return min(members, key=lambda m: (-fuller[m], -_words(by_id[m]), m))


def _cut_added(
    original: str,
    copy: str,
    pairs: Sequence[CopyPair],
    paragraphs_found: Mapping[tuple[str, str], tuple[int, int]],
) -> tuple[int, int]:
    """Paragraphs of the original missing from the copy, and paragraphs the copy adds."""
    for pair in pairs:
        if {pair.a, pair.b} == {original, copy} and (pair.shared or pair.only_a or pair.only_b):
            if pair.a == original:
                return len(pair.only_a), len(pair.only_b)
            return len(pair.only_b), len(pair.only_a)
    # No direct pair with an alignment (linked through a third member, or a pair given without
    # paragraph evidence): use the digest's own sentence alignment.
    return paragraphs_found.get((original, copy), (0, 0))


def relate_sources(
    articles: Sequence[Article],
    copy_groups: Sequence[CopyGroup],
    paragraphs_found: Mapping[tuple[str, str], tuple[int, int]],
) -> tuple[list[Source], dict[str, str]]:
    """Each article's Source record, and the source key of each article (its group's id or its own).

    Only members present in ``articles`` count; a group left with one member is no group.
    ``paragraphs_found[(original, copy)]`` gives (cut, added) computed by alignment, used when the
    copy groups carry no pair between the two.
    """
    by_id = {a.id: a for a in articles}
    relation: dict[str, tuple[str, str | None, str | None, int, int]] = {}
    source_key = {a.id: a.id for a in articles}
    for group in sorted(copy_groups, key=lambda g: g.id):
        members = sorted(m for m in set(group.members) if m in by_id and m not in relation)
        if len(members) < 2:
            continue
        pairs = [p for p in group.pairs if p.a in members and p.b in members]
        original = _original(members, pairs, by_id)
        for member in members:
            source_key[member] = group.id
            if member == original:
                relation[member] = ("original", None, group.id, 0, 0)
            else:
                cut, added = _cut_added(original, member, pairs, paragraphs_found)
                relation[member] = ("copy", original, group.id, cut, added)
    sources: list[Source] = []
    for article in articles:
        kind, of, group_id, cut, added = relation.get(article.id, ("independent", None, None, 0, 0))
        sources.append(
            Source(
                article=article.id,
                site=article.site,
                title=article.title,
                published=article.published,
                relation=kind,
                of=of,
                copy_group=group_id,
                cut=cut,
                added=added,
            )
        )
    return sources, source_key
