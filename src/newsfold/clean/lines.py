"""Flat-text page -> the article's lines: a line classifier plus a search for the main run.

A flat page (one block per line, as a scraper writes it) is read in three passes:

1. every non-blank line gets a class from its form: ``GOOD`` (a prose paragraph: enough words
   and a sentence end, or long enough to be prose without one), ``BAD`` (chrome: cookie, share,
   comment and subscribe prompts, captions and photo credits, teasers cut with "...", short
   bullets of navigation, repeated lines) or ``SHORT`` (a line that could be a subheading or a
   nav item: decided by context);
2. the article is the run of lines with the largest total weight (a maximum-sum segment, as in
   Kadane's algorithm): prose adds its word count, chrome and short lines subtract, and a
   heading that opens a teaser list ("Related articles", "Lesen Sie auch", ...) subtracts a lot,
   so a teaser list after the article is not joined to it;
3. inside the run, prose lines are kept, and a ``SHORT`` line is kept when prose surrounds it
   (a subheading, a short paragraph, a list item inside the body).

Word lists are multilingual and only tip the balance; the structure carries the weight. Each
line's features are read from its first ``max_line_chars`` characters so the work per line is
bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from newsfold.clean.metadata import parse_byline

GOOD = 2
SHORT = 1
BAD = 0
STAMP = 3  # a date or time line alone: chrome that costs more (comments, teaser lists)

# Chrome vocabulary (lower-case whole words, several languages), tested with one C-level set
# operation per line (``isdisjoint``): ~20x faster than an alternation regex, which Python
# tries alternative by alternative at every position. Strong words mark a short line as chrome
# wherever they stand; weak words ("comment", "share", "privacy") also occur in news prose
# ("declined to comment."), so they only count on lines that are not sentences.
_STRONG_WORDS = frozenset(
    [
        "cookie",
        "cookies",
        "javascript",
        "newsletter",
        "newsletters",
        "subscribe",
        "subscribed",
        "subscriber",
        "subscribers",
        "subscription",
        "subscriptions",
        "unsubscribe",
        "signup",
        "login",
        "logout",
        "advertisement",
        "advertisements",
        "advertising",
        "advertise",
        "ad",
        "ads",
        "sponsored",
        "copyright",
        "shutterstock",
        "istock",
        "gettyimages",
        "datenschutz",
        "datenschutzerklärung",
        "impressum",
        "anmelden",
        "abonnieren",
        "abonnement",
        "werbung",
        "anzeige",
        "connexion",
        "publicité",
        "abonnez",
        "abonnement",
        "inscrivez-vous",
        "suscríbete",
        "suscribete",
        "suscripción",
        "publicidad",
        "iniciar",
        "iscriviti",
        "pubblicità",
        "abbonati",
        "assine",
        "publicidade",
        "cadastre-se",
        "подписаться",
        "подпишитесь",
        "подписка",
        "реклама",
        "войти",
    ]
)
_WEAK_WORDS = frozenset(
    [
        "comment",
        "comments",
        "reply",
        "share",
        "shares",
        "tweet",
        "facebook",
        "twitter",
        "whatsapp",
        "pinterest",
        "linkedin",
        "instagram",
        "youtube",
        "telegram",
        "email",
        "e-mail",
        "print",
        "privacy",
        "terms",
        "menu",
        "search",
        "home",
        "contact",
        "about",
        "follow",
        "download",
        "register",
        "careers",
        "sitemap",
        "rss",
        "teilen",
        "kommentar",
        "kommentare",
        "kommentieren",
        "drucken",
        "suchen",
        "suche",
        "kontakt",
        "partager",
        "commentaire",
        "commentaires",
        "imprimer",
        "recherche",
        "compartir",
        "comentario",
        "comentarios",
        "imprimir",
        "buscar",
        "contacto",
        "condividi",
        "commenti",
        "commento",
        "stampa",
        "cerca",
        "contatti",
        "compartilhe",
        "compartilhar",
        "comentário",
        "comentários",
        "поделиться",
        "комментарии",
        "комментарий",
        "поиск",
        "контакты",
    ]
)
# Multi-word chrome phrases, found by substring search (cheap: no regex).
_CHROME_PHRASES = (
    "sign up", "sign in", "log in", "log out", "share this", "share on", "share via",
    "all rights reserved", "terms of use", "terms of service", "skip to", "click here",
    "follow us", "load more", "show more", "show full", "next story", "next article",
    "previous article", "previous story", "leave a reply", "leave a comment", "write a comment",
    "download the app", "download our app", "continue reading", "photo by", "image credit",
    "getty images", "email this", "e-mail this", "print article", "print this",
    "alle rechte vorbehalten", "tous droits réservés", "mentions légales",
    "derechos reservados", "diritti riservati", "direitos reservados", "все права защищены",
    "save my name", "this form", "will not be published", "required fields", "notify me of",
    "personal data", "data protection", "enjoyed this article", "sign up for", "newsletter",
)  # fmt: skip
_PHRASE_FIRST_WORDS = frozenset(phrase.split()[0].split("-")[0] for phrase in _CHROME_PHRASES)
_CJK_CHROME = (
    "分享",
    "评论",
    "登录",
    "广告",
    "关注我们",
    "シェア",
    "コメント",
    "ログイン",
    "広告",
    "공유",
    "댓글",
    "로그인",
    "광고",
    "구독",
)
_CAPTION_OR_CREDIT = re.compile(
    r"^(?:image|photo|foto|bild|credit|image credit|photograph|picture|source|quelle|fuente|"
    r"fonte|source de l'image|crédit photo|crédits?|pictured)\s*:|\bvia (?:getty|ap|pa|reuters|afp)\b|"
    r"\((?:photo|image|foto|bild)\b"
)
# A photo caption's credit, also on long captions: "(AP Photo/Jane Doe)", "File photo", ...
_PHOTO_CREDIT = re.compile(
    r"\b(?:ap|afp|reuters|epa|dpa|file|staff) photo\b|photo(?:graph)?:|photo credit|"
    r"\bphoto/|/(?:getty images|ap|afp|reuters|epa|shutterstock)\)|\(photo\b|"
    r"\bin this (?:\w+ )?(?:\d+, )?(?:\d+ )?(?:file )?photo\b|\bfile photo\b|"
    r"(?:foto|bild|photo|crédit photo)\s*:|\bimage:"
)
_WORD_RE = re.compile(r"\w+")


def chrome_hits(lowered: str, *, sentence: bool, words: int = 0) -> int:
    """How many kinds of chrome signal a lower-cased line holds.

    Weak words count on short non-sentences only ("Share", "Comments (3)"); strong words
    count on any line but a long sentence ("... sign up additional subscribers."), where
    news prose uses them too.
    """
    window = lowered[:600]
    tokens = set(_WORD_RE.findall(window))
    hits = 0
    if not (sentence and words >= 15) and not _STRONG_WORDS.isdisjoint(tokens):
        hits += 1
    if not sentence and words <= 10 and not _WEAK_WORDS.isdisjoint(tokens):
        hits += 1
    if not _PHRASE_FIRST_WORDS.isdisjoint(tokens):
        hits += sum(1 for phrase in _CHROME_PHRASES if phrase in window)
    if (":" in window or "via " in window or "(" in window) and _CAPTION_OR_CREDIT.search(
        window[:300]
    ):
        hits += 1
    if not window.isascii() and _CJK.search(window[:100]):
        # CJK runs come out as one token: look for the chrome words inside them.
        hits += sum(1 for word in _CJK_CHROME if word in window[:100])
    return hits


# Headings that open a list of other stories: the article does not continue past them.
_TEASER_HEADING = re.compile(
    r"^\W*(?:related(?: articles?| stories| news| posts| content| coverage)?|read (?:more|next|also)|"
    r"more (?:stories|news|from|on|in|like this|articles)|most (?:read|popular|viewed|shared)|"
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested)|recommended(?: for you)?|"
    r"trending(?: now)?|popular|also (?:read|see|on)|see also|top stories|latest(?: news)?|"
    r"editor'?s picks|what to read next|lesen sie (?:auch|mehr)|mehr zum thema|"
    r"das k[oö]nnte sie auch interessieren|meistgelesen|weitere artikel|[àa] lire aussi|"
    r"lire aussi|sur le m[eê]me sujet|voir aussi|les plus lus|dans la m[eê]me rubrique|"
    r"leia (?:tamb[eé]m|mais)|veja tamb[eé]m|mais lidas|lee tambi[eé]n|noticias relacionadas|"
    r"m[aá]s le[ií]das|te puede interesar|leggi anche|articoli correlati|potrebbe interessarti|"
    r"читайте также|похожие (?:статьи|новости)|другие новости|相关(?:新闻|文章|阅读)|"
    r"推荐阅读|関連(?:記事|ニュース)|관련 ?기사|많이 본 (?:뉴스|기사|칼럼))\W*$"
)
# Consent prompts, which are long enough to pass for prose.
_CONSENT = re.compile(
    r"(?:cookie|куки|쿠키|クッキー).{0,300}(?:polic|consent|agree|accept|setting|brows|experience|"
    r"website|privacy|utilis|verwend|nutz|einstellung|usamos|utiliz|acept|consen|согла|"
    r"이용|同意|利用)|\bgdpr\b|\bdsgvo\b|\brgpd\b"
)


# A comment section's heading: "34 responses to ...", "12 Comments", "Kommentare (5)".
_COMMENT_HEADING = re.compile(
    r"^\W*(?:\d+\s+)?(?:responses?|comments?|replies|reactions|kommentare?|commentaires?|"
    r"comentários?|comentarios?|commenti|комментари\w*|댓글|コメント|评论)\b"
    r"(?:\s+(?:to|on|zu|sur|a|em|en|su)\b.*|\s*\(\d+\)|\s*\d*)\W*$"
)
# A date or time stamp standing alone: comment and teaser furniture inside a page.
_STAMP = re.compile(r"(?:19|20)\d\d|\b\d{1,2}:\d\d\b|\b(?:ago|vor|il y a|hace|fa|há|назад)\b|前")


# A call to action opening a line: promotion, not article ("Subscribe to ...", "Folgen Sie ...").
_CALL_TO_ACTION = re.compile(
    r"^\W*(?:subscribe|sign up|join (?:us|our)|follow (?:us|him|her|them)|click|download|"
    r"register|get (?:breaking|the latest|our|more|your free)|don't miss|related:|see also:|"
    r"read (?:more|also|next):|also read:|watch:|listen:|abonnieren|abonnez|inscrivez|suivez|"
    r"folgen sie|melden sie sich|suscr[ií]bete|s[ií]guenos|iscriviti|seguici|assine|siga-nos|"
    r"подпишитесь|подписывайтесь|читайте)\b"
)


def _has_consent_word(lowered: str) -> bool:
    return any(
        w in lowered for w in ("cookie", "gdpr", "dsgvo", "rgpd", "куки", "쿠키", "クッキー")
    )


_BULLET = re.compile(
    r"^\s*(?:[\u2022\u00b7\u25aa\u25cf\u25ba\u25b8\u2023\u2043*]|-\s|\d{1,2}[.)]\s)"
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
# Scripts written without spaces between words (Chinese, Japanese; not Korean, which spaces).
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TERMINAL = frozenset(".!?\u3002\uff01\uff1f\u0964\u061f\u2026;")
_CLOSERS = "\"'\u201d\u2019\u00bb\u300d\u300f)]\u3011 "
_TRAILING_AGENCY = re.compile(r"\s*[(\[][A-Za-z /]{2,30}[)\]]\s*$")
_TEASER_END = re.compile(r"(?:\.\.\.|\u2026)\s*$")
_CAPTION_START = re.compile(
    r"^(?:above|below|left|right|top|pictured|photo|image|file photo|foto|bild|"
    r"ci-dessus|ci-dessous|arriba|acima)\s*:",
    re.IGNORECASE,
)

# Weights of the run search. A prose line adds its word count (capped so one huge line does
# not swallow its neighbourhood); a short line costs a little (a subheading inside the body
# is cheap to cross), chrome costs more, and a teaser heading costs as much as a solid
# paragraph, so only real prose on both sides joins across it.
_SHORT_COST = 3.0
_BAD_COST = 8.0
_HEADING_COST = 60.0
_GOOD_CAP = 120.0
# A date line inside a run means the run is a list of dated items (comments, teasers): it
# costs as much as a short paragraph, so only an article's worth of prose crosses it.
_STAMP_COST = 60.0
_MAX_SHORT_RUN = 8
# The run under the headline wins unless the heaviest run weighs more than 1 / share of it.
_ANCHOR_SHARE = 0.3


class Line(NamedTuple):
    """One non-blank line of the page with the features the classifier reads."""

    number: int  # 0-based line number in the page
    text: str  # stripped
    words: int  # word count (CJK characters count as half a word each)
    kind: int  # GOOD, SHORT or BAD
    heading: bool  # opens a teaser list
    terminal: bool  # ends like a sentence


@dataclass(frozen=True, slots=True)
class Selection:
    """What the classifier found: all lines, the main run's bounds and the kept lines."""

    lines: tuple[Line, ...]
    start: int  # position in ``lines`` of the run's first line (-1: no run)
    end: int  # position of the run's last line (inclusive)
    kept: tuple[int, ...]  # positions in ``lines`` of the body lines, in order
    run_words: int


def _count_words(head: str) -> int:
    spaced = len(head.split())
    if head.isascii():
        return spaced
    cjk = len(_UNSPACED.findall(head))
    if cjk:
        # A CJK line has few spaces: two characters carry about one word's information.
        return max(spaced, cjk // 2 + spaced)
    return spaced


def _ends_sentence(head: str) -> bool:
    text = head.rstrip(_CLOSERS)
    if text and text[-1] in _TERMINAL:
        return True
    if head.endswith((")", "]")):
        # "... as leader. (AFP)": the sentence ends before the credit.
        text = _TRAILING_AGENCY.sub("", head).rstrip(_CLOSERS)
        return bool(text) and text[-1] in _TERMINAL
    return False


_PUNCT = frozenset(".,;:!?\u3002\uff0c\u3001\uff1b\uff1a\uff01\uff1f\u060c")


def _inner_punctuation(head: str) -> int:
    return sum(1 for ch in head if ch in _PUNCT)


def _classify(head: str, words: int, terminal: bool, copies: int) -> tuple[int, bool]:
    """The class of one line (GOOD / SHORT / BAD / STAMP) and whether it opens a teaser list."""
    lowered = head.lower()
    if words <= 8 and _TEASER_HEADING.match(lowered):
        return BAD, True
    if words <= 14 and _COMMENT_HEADING.match(lowered):
        return BAD, True
    if words <= 8 and not terminal and "(@" not in head and _STAMP.search(lowered):
        return STAMP, False
    if words <= 10 and not terminal and parse_byline(head.lstrip("\u2022*- ")):
        # A byline inside a run of text is a teaser's or a comment's: furniture, like a date.
        return STAMP, False
    if words < 120 and _PHOTO_CREDIT.search(lowered):
        return BAD, False
    if head.endswith(("..", "\u2026")) and not head.endswith(("....", "\u2026\u2026")):
        # A teaser cut mid-sentence ("... was...") is a link to another story.
        return BAD, False
    if words < 150 and _has_consent_word(lowered) and _CONSENT.search(lowered):
        # A consent banner, long enough to pass for prose.
        return BAD, False
    if words < 40 and _CALL_TO_ACTION.match(lowered):
        return BAD, False
    if words < 40:
        sentence = terminal and words >= 6
        hits = chrome_hits(lowered, sentence=sentence, words=words)
        if hits >= (2 if sentence and words >= 15 else 1):
            return BAD, False
    elif words < 150 and chrome_hits(lowered, sentence=False, words=words) >= max(3, words // 15):
        # A block of chrome phrases long enough to pass for prose.
        return BAD, False
    if _CAPTION_START.match(head):
        return BAD, False
    if words < 8 and _BULLET.match(head):
        return BAD, False
    if terminal and words >= 8:
        return GOOD, False
    if words >= 25 and _inner_punctuation(head) >= max(2, words // 30):
        # A paragraph that ends without a full stop still has commas and stops inside; a tag
        # cloud or a menu flattened into one line has none.
        return GOOD, False
    return SHORT, False


def read_lines(text: str, *, max_lines: int, max_line_chars: int) -> list[Line]:
    """Non-blank lines of a flat page with their features and class."""
    raw = text.split("\n", max_lines)[:max_lines]
    stripped = [line.strip() for line in raw]
    counts: dict[str, int] = {}
    for s in stripped:
        if s:
            counts[s] = counts.get(s, 0) + 1
    out: list[Line] = []
    for index, s in enumerate(stripped):
        if not s:
            continue
        head = s if len(s) <= max_line_chars else s[:max_line_chars]
        words = _count_words(head)
        terminal = _ends_sentence(head)
        kind, heading = _classify(head, words, terminal, counts[s])
        out.append(Line(index, s, words, kind, heading, terminal))
    # A caption is often its image's alt text repeated on the next line: mark both copies.
    for i in range(1, len(out)):
        if (
            out[i].text == out[i - 1].text
            and out[i].number == out[i - 1].number + 1
            and out[i - 1].kind != BAD
        ):
            out[i - 1] = out[i - 1]._replace(kind=BAD)
    return out


def _weight(line: Line) -> float:
    if line.kind == GOOD:
        return min(float(line.words), _GOOD_CAP)
    if line.heading:
        return -_HEADING_COST
    if line.kind == BAD:
        return -_BAD_COST
    if line.kind == STAMP:
        return -_STAMP_COST
    return -_SHORT_COST


def _best_segment(weights: list[float]) -> tuple[int, int, float]:
    """Maximum-sum contiguous segment (Kadane): (start, end inclusive, sum); (-1, -1, 0) if none."""
    best_sum = 0.0
    best = (-1, -1)
    current = 0.0
    current_start = 0
    for position, weight in enumerate(weights):
        if current <= 0.0:
            current = 0.0
            current_start = position
        current += weight
        if current > best_sum:
            best_sum = current
            best = (current_start, position)
    return best[0], best[1], best_sum


def _best_from(weights: list[float], start: int) -> tuple[int, float]:
    """The best end of a segment that must begin at ``start``: (end, sum)."""
    total = 0.0
    best_end, best_sum = start, weights[start]
    for position in range(start, len(weights)):
        total += weights[position]
        if total > best_sum:
            best_end, best_sum = position, total
    return best_end, best_sum


def select(lines: list[Line], anchor: int = -1) -> Selection:
    """The main run of prose and the lines kept from it.

    ``anchor`` is the position of the first paragraph under the article's header (a headline
    matching the URL, a byline, a date), when one was found. The run that starts there is
    preferred to the page's heaviest run unless that one is much heavier: a comment thread or
    a list of teasers can outweigh a short article, but it does not sit under the headline.
    """
    weights = [_weight(line) for line in lines]
    start, end, total = _best_segment(weights)
    if 0 <= anchor < len(lines) and lines[anchor].kind == GOOD and start != anchor:
        anchor_end, anchor_total = _best_from(weights, anchor)
        if anchor_total >= _ANCHOR_SHARE * total:
            start, end = anchor, anchor_end
    if start < 0:
        return Selection(tuple(lines), -1, -1, (), 0)
    kept: list[int] = []
    for position in range(start, end + 1):
        line = lines[position]
        if (
            line.kind == GOOD
            or line.kind == SHORT
            and _surrounded_by_prose(lines, position, start, end)
        ):
            kept.append(position)
    run_words = sum(lines[p].words for p in kept)
    return Selection(tuple(lines), start, end, tuple(kept), run_words)


def _surrounded_by_prose(lines: list[Line], position: int, start: int, end: int) -> bool:
    """A short line is body when the nearest non-short lines on both sides are prose.

    Up to ``_MAX_SHORT_RUN`` short lines in a row are crossed (a subheading, a list or a
    recipe's steps inside the body); a longer stretch of short lines is navigation or a widget.
    """
    before = position - 1
    steps = 0
    while before >= start and lines[before].kind == SHORT and steps < _MAX_SHORT_RUN:
        before -= 1
        steps += 1
    after = position + 1
    steps = 0
    while after <= end and lines[after].kind == SHORT and steps < _MAX_SHORT_RUN:
        after += 1
        steps += 1
    return (
        before >= start
        and after <= end
        and lines[before].kind == GOOD
        and lines[after].kind == GOOD
    )
