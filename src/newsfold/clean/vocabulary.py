"""The vocabulary of page chrome the line classifier reads: word lists, phrases and patterns.

Multilingual and deliberately short: these lists only tip the balance; the structure of the
page (runs of prose, dates and bylines inside a run, isolated paragraphs) carries the weight
(see ``lines.py``). Tested on lower-cased lines; the cheap predicates here (set lookups,
substring tests) run before any regex so most lines never reach one.
"""

from __future__ import annotations

import re

from newsfold.clean.metadata import MONTH_NAMES

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
# Scripts written without spaces between words (Chinese, Japanese; not Korean, which spaces).
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Chrome vocabulary (lower-case whole words, several languages), tested with one C-level set
# operation per line (``isdisjoint``): ~20x faster than an alternation regex, which Python
# tries alternative by alternative at every position. Strong words mark a short line as chrome
# wherever they stand; weak words ("comment", "share", "privacy") also occur in news prose
# ("declined to comment."), so they only count on lines that are not sentences.
STRONG_WORDS = frozenset(
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
WEAK_WORDS = frozenset(
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
CHROME_PHRASES = (
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
PHRASE_FIRST_WORDS = frozenset(phrase.split()[0].split("-")[0] for phrase in CHROME_PHRASES)
# The phrases under each first word, so a line is searched only for the phrases it may hold.
PHRASES_BY_FIRST_WORD = {
    first: tuple(p for p in CHROME_PHRASES if p.split()[0].split("-")[0] == first)
    for first in PHRASE_FIRST_WORDS
}
CJK_CHROME = (
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
CAPTION_OR_CREDIT = re.compile(
    r"^(?:image|photo|foto|bild|credit|image credit|photograph|picture|source|quelle|fuente|"
    r"fonte|source de l'image|crédit photo|crédits?|pictured)\s*:|\bvia (?:getty|ap|pa|reuters|afp)\b|"
    r"\((?:photo|image|foto|bild)\b"
)
# A photo caption's credit, also on long captions: "(AP Photo/Jane Doe)", "File photo", ...
PHOTO_CREDIT = re.compile(
    r"\b(?:ap|afp|reuters|epa|dpa|file|staff) photo\b|photo(?:graph)?:|photo credit|"
    r"\bphoto/|/(?:getty images|ap|afp|reuters|epa|shutterstock)\)|\(photo\b|"
    r"\bin this (?:\w+ )?(?:\d+, )?(?:\d+ )?(?:file )?photo\b|\bfile photo\b|"
    r"(?:foto|bild|photo|crédit photo|фото)\s*:|\bimage:"
)
FOOTER_CREDIT = re.compile(r"\u00a9|\bcredit:\s*[\w .,&/'-]{1,60}$")
WORD_RE = re.compile(r"\w+")


def _phrase_keys(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """The phrases without those holding another ("sign up for" holds "sign up"): a line
    holding none of these holds no chrome phrase. (Shorter keys, such as each phrase's first
    word, are no use: "all ", "this " and "will " are in most paragraphs.)"""
    keys = set(phrases)
    return tuple(sorted(k for k in keys if not any(o != k and o in k for o in keys)))


PHRASE_KEYS = _phrase_keys(CHROME_PHRASES)


def chrome_hits_reach(lowered: str, *, sentence: bool, words: int, need: int) -> bool:
    """``chrome_hits(lowered, sentence=sentence, words=words) >= need``, faster on prose.

    On a long sentence only phrases, a caption's credit and CJK chrome words count, and on a
    line of over 10 words weak words do not: without a phrase or a CJK chrome word such a
    line holds at most one or two hits, which is settled without splitting it into words (the
    costliest step of :func:`chrome_hits`, and prose is most of a page's text).
    """
    window = lowered[:600]
    ceiling = 1  # the caption credit
    if not (sentence and words >= 15):
        ceiling += 1  # strong words
    if not sentence and words <= 10:
        ceiling += 1  # weak words
    if ceiling < need and not any(map(window.__contains__, PHRASE_KEYS)):
        head = window[:100]
        if window.isascii() or not any(map(head.__contains__, CJK_CHROME)):
            return False
    return _chrome_count(lowered, sentence, words, need) >= need


def chrome_hits(lowered: str, *, sentence: bool, words: int = 0) -> int:
    """How many kinds of chrome signal a lower-cased line holds.

    Weak words count on short non-sentences only ("Share", "Comments (3)"); strong words
    count on any line but a long sentence ("... sign up additional subscribers."), where
    news prose uses them too.
    """
    return _chrome_count(lowered, sentence, words, 1 << 30)


def _chrome_count(lowered: str, sentence: bool, words: int, stop: int) -> int:
    """:func:`chrome_hits`, returned as soon as it reaches ``stop`` (the rest cannot lower it)."""
    window = lowered[:600]
    tokens = WORD_RE.findall(window)  # the word sets below take a list as it is
    hits = 0
    if not (sentence and words >= 15) and not STRONG_WORDS.isdisjoint(tokens):
        hits += 1
    if not sentence and words <= 10 and not WEAK_WORDS.isdisjoint(tokens):
        hits += 1
    if hits >= stop:
        return hits
    firsts = PHRASE_FIRST_WORDS.intersection(tokens)
    if firsts:
        hits += sum(
            1 for first in firsts for phrase in PHRASES_BY_FIRST_WORD[first] if phrase in window
        )
        if hits >= stop:
            return hits
    if (":" in window or "via " in window or "(" in window) and CAPTION_OR_CREDIT.search(
        window[:300]
    ):
        hits += 1
    if not window.isascii() and CJK.search(window[:100]):
        # CJK runs come out as one token: look for the chrome words inside them.
        hits += sum(1 for word in CJK_CHROME if word in window[:100])
    return hits


# Headings that open a list of other stories: the article does not continue past them.
TEASER_HEADING = re.compile(
    r"^\W*(?:related(?: articles?| stories| news| posts| content| coverage| links)?|read (?:more|next|also)|"
    r"more (?:stories|news|like this|articles|(?:from|on|in|about)(?: [\w.'-]+){0,3})|explore further|most (?:read|popular|viewed|shared)|"
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
# Notices a platform prints in place of an article when a capture failed: a web archive's
# description of its crawl, a social network's help text around an embed, a browser or player
# prompt, an error page. They read as prose; a page whose whole body is one is no article
# (read on short bodies only: an article may mention the Internet Archive).
PLATFORM_NOTICE = re.compile(
    r"\bwayback machine\b|\binternet archive\b|\barchive-it\b|\bcrawl data\b|\bthese crawls\b|"
    r"\btweet location\b|\blocation information to your tweets\b|"
    r"\b(?:enable|activate) javascript\b|\bjavascript (?:is )?(?:disabled|required|turned off)\b|"
    r"\byour browser (?:does not|doesn't|is not|isn't)\b|\bupgrade your browser\b|"
    r"\b(?:while )?you are (?:being )?redirected\b|\bmedia playback is unsupported\b|"
    r"\b(?:disable|turn off) (?:your |the )?ad ?-?blocker\b|\bpage (?:was )?not found\b|"
    r"\baccess (?:to this page )?(?:has been )?denied\b|"
    r"\bjavascript (?:ist )?deaktiviert\b|\baktivieren sie javascript\b|\bihr browser\b|"
    r"\bactive[rz] (?:le )?javascript\b|\bvotre navigateur\b|\bpage introuvable\b|"
    r"\bhabilit(?:a|e) javascript\b|\bsu navegador\b|\bp[aá]gina no encontrada\b|"
    r"\bseu navegador\b|\bil tuo browser\b|\bвключите javascript\b|\bваш браузер\b"
)
# Consent prompts, which are long enough to pass for prose.
CONSENT = re.compile(
    r"(?:cookie|куки|쿠키|クッキー).{0,300}(?:polic|consent|agree|accept|setting|brows|experience|"
    r"website|privacy|utilis|verwend|nutz|einstellung|usamos|utiliz|acept|consen|согла|"
    r"이용|同意|利用)|\bgdpr\b|\bdsgvo\b|\brgpd\b"
)


# A comment section's heading: "34 responses to ...", "12 Comments", "Kommentare (5)".
COMMENT_HEADING = re.compile(
    r"^\W*(?:\d+\s+)?(?:responses?|comments?|replies|reactions|kommentare?|commentaires?|"
    r"comentários?|comentarios?|commenti|комментари\w*|댓글|コメント|评论)\b"
    r"(?:\s+(?:to|on|zu|sur|a|em|en|su)\b.*|\s*\(\d+\)|\s*\d*)\W*$"
)
# Words that go with a date in a stamp line, besides month names.
DATE_WORDS = MONTH_NAMES | frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
        "published",
        "updated",
        "posted",
        "publié",
        "publiziert",
        "aktualisiert",
        "veröffentlicht",
        "mis",
        "jour",
        "publicado",
        "actualizado",
        "atualizado",
        "pubblicato",
        "aggiornato",
        "ago",
        "hour",
        "hours",
        "minute",
        "minutes",
        "min",
        "mins",
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "yesterday",
        "today",
        "gestern",
        "heute",
        "hier",
        "aujourd",
        "ayer",
        "hoy",
        "ontem",
        "hoje",
        "ieri",
        "oggi",
        "est",
        "edt",
        "pst",
        "pdt",
        "cst",
        "cdt",
        "gmt",
        "utc",
        "bst",
        "cet",
        "cest",
        "the",
        "and",
        "at",
        "on",
        "um",
        "à",
    ]
)
# A date or time stamp standing alone: comment and teaser furniture inside a page.
STAMP_PATTERN = re.compile(
    r"(?:19|20)\d\d|\b\d{1,2}:\d\d\b|\b(?:ago|vor|il y a|hace|fa|há|назад)\b|前"
)


# A call to action opening a line: promotion, not article ("Subscribe to ...", "Folgen Sie ...").
CALL_TO_ACTION = re.compile(
    r"^\W*(?:subscribe|sign up|join (?:us|our)|follow (?:us|him|her|them)|click|download|"
    r"register|get (?:breaking|the latest|our|more|your free)|don't miss|related:|see also:|"
    r"read (?:more|also|next):|also read:|watch:|listen:|abonnieren|abonnez|inscrivez|suivez|"
    r"folgen sie|melden sie sich|suscr[ií]bete|s[ií]guenos|iscriviti|seguici|assine|siga-nos|"
    r"подпишитесь|подписывайтесь|читайте)(?:\b|(?<=:))"
)
# The word opening every line CALL_TO_ACTION matches (its first run of word characters, after
# the non-word characters opening the line): each alternative starts with one of these, as a
# whole word. A line opening with another word cannot match, so the compiled line reader
# (``_lines.pyx``) runs the pattern only on lines opening with one of them; the tests check
# this list against the pattern.
CALL_TO_ACTION_FIRST_WORDS = frozenset(
    [
        "subscribe", "sign", "join", "follow", "click", "download", "register", "get", "don",
        "related", "see", "read", "also", "watch", "listen", "abonnieren", "abonnez",
        "inscrivez", "suivez", "folgen", "melden", "suscribete", "suscríbete", "siguenos",
        "síguenos", "iscriviti", "seguici", "assine", "siga", "подпишитесь",
        "подписывайтесь", "читайте",
    ]
)  # fmt: skip


BYLINE_WORDS = frozenset(
    ["by", "von", "par", "por", "di", "door", "af", "av", "przez", "автор", "автор:"]
)


def may_credit_photo(lowered: str) -> bool:
    # Chained "in" tests: several times faster than any() over a generator.
    return (
        "photo" in lowered
        or "image" in lowered
        or "foto" in lowered
        or "bild" in lowered
        or (not lowered.isascii() and "фото" in lowered)
    )


def may_be_byline(lowered: str) -> bool:
    first = lowered.lstrip("\u2022*- ").split(" ", 1)[0]
    return first in BYLINE_WORDS


def is_stamp(lowered: str) -> bool:
    """A date or time standing (nearly) alone: few words besides months, weekdays, "ago"..."""
    if not STAMP_PATTERN.search(lowered):
        return False
    other = [
        token
        for token in WORD_RE.findall(lowered)
        if len(token) > 2 and token.isalpha() and token not in DATE_WORDS
    ]
    return len(other) <= 2


def has_consent_word(lowered: str) -> bool:
    # Chained "in" tests: several times faster than any() over a generator.
    if "cookie" in lowered or "gdpr" in lowered or "dsgvo" in lowered or "rgpd" in lowered:
        return True
    return not lowered.isascii() and (
        "куки" in lowered or "쿠키" in lowered or "クッキー" in lowered
    )


BULLET = re.compile(
    r"^\s*(?:[\u2022\u00b7\u25aa\u25cf\u25ba\u25b8\u2023\u2043*]|-\s|\d{1,2}[.)]\s)"
)
# A gallery's caption counter: "1 of 4 ...", "2/12 ...", "3 von 8 ...".
GALLERY_COUNTER = re.compile(r"^\d{1,3}\s*(?:of|von|sur|de|di|из|/)\s*\d{1,3}\b")
# An author box's heading: "About the author", "Über Moritz Bachmann", "Sobre Carlos Nadalim".
AUTHOR_BOX = re.compile(
    r"^(?:(?i:about the author|about the writer|über den autor|über die autorin|"
    r"à propos de l'auteur|sobre o autor|sobre el autor|sull'autore|об авторе)|"
    r"(?i:about|über|sobre|à propos de)\s+[A-ZÀ-Þ][\w'’-]+(?:\s+[A-ZÀ-Þ][\w'’-]+){0,2})\s*$",
)
CAPTION_START = re.compile(
    r"^(?:above|below|left|right|top|pictured|photo|image|file photo|foto|bild|"
    r"ci-dessus|ci-dessous|arriba|acima|фото)\s*:",
    re.IGNORECASE,
)


# First words of the teaser and comment headings above (ASCII ones; a line starting with a
# non-ASCII word always goes to the regexes). A set lookup spares most lines two regex runs.
HEADING_FIRST_WORDS = frozenset(
    [
        "related",
        "explore",
        "read",
        "more",
        "most",
        "you",
        "recommended",
        "trending",
        "popular",
        "also",
        "see",
        "top",
        "latest",
        "editor",
        "editors",
        "what",
        "lesen",
        "mehr",
        "das",
        "meistgelesen",
        "weitere",
        "a",
        "lire",
        "sur",
        "voir",
        "les",
        "dans",
        "leia",
        "veja",
        "mais",
        "lee",
        "noticias",
        "te",
        "leggi",
        "articoli",
        "potrebbe",
        "responses",
        "response",
        "comments",
        "comment",
        "replies",
        "reactions",
        "kommentare",
        "kommentar",
        "commentaires",
        "commentaire",
        "comentarios",
        "comentario",
        "commenti",
    ]
)
FIRST_WORD = re.compile(r"\W*(\w*)")


# Every word that can make a line of plain words (letters and spaces only, no digit, no
# punctuation) anything but a plain short line: heading, byline and call-to-action openers,
# chrome words, the first words of chrome phrases, "via" (photo credits), author-box openers
# and "ago"-like stamp words. A line of plain words holding none of them is classified
# without running a single regex (most menu items: "World", "Business", "Nachrichten").
PLAIN_TRIGGERS = (
    HEADING_FIRST_WORDS
    | BYLINE_WORDS
    | STRONG_WORDS
    | WEAK_WORDS
    | PHRASE_FIRST_WORDS
    | frozenset(
        [
            "via",
            "about",
            "über",
            "sobre",
            "à",
            "propos",
            "ago",
            "vor",
            "il",
            "hace",
            "fa",
            "há",
            "назад",
            "subscribe",
            "sign",
            "join",
            "follow",
            "click",
            "download",
            "register",
            "get",
            "don",
            "watch",
            "listen",
            "abonnieren",
            "abonnez",
            "inscrivez",
            "suivez",
            "folgen",
            "melden",
            "suscribete",
            "suscríbete",
            "siguenos",
            "síguenos",
            "iscriviti",
            "seguici",
            "assine",
            "siga",
            "подпишитесь",
            "подписывайтесь",
            "читайте",
        ]
    )
)
