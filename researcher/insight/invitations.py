"""Checking a hand-written invitation: long enough, about that person, not the network's stock sentence."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from researcher.text import fold

if TYPE_CHECKING:  # insight stays pure: the notebook is only read, in context_for
    from researcher.store import Notebook

MIN_OWN_WORDS = 12  # "a dozen words of your own beat the generated sentence"
NEWS_ITEMS = 10

# -- the networks' default texts -------------------------------------------------
# These are the invitation texts the networks pre-fill (or send when you write none).
# [Name] stands for the invitee's name. Matching is fuzzy (case, accents, punctuation,
# a typo, "I would" for "I'd"), so one spelling of each is enough.

LINKEDIN_EN = (
    "I'd like to add you to my professional network on LinkedIn.",
    "I'd like to add you to my professional network.",
    "I'd like to add you to my LinkedIn network.",
    "I'd like to join your LinkedIn network.",
    "Hi [Name], I'd like to join your LinkedIn network.",
    "Hi [Name], I'd like to add you to my professional network on LinkedIn.",
)
LINKEDIN_FR = (
    "Je souhaiterais vous ajouter à mon réseau professionnel sur LinkedIn.",
    "Bonjour [Name], je souhaiterais vous ajouter à mon réseau professionnel sur LinkedIn.",
    "J'aimerais vous ajouter à mon réseau LinkedIn.",
    "Bonjour [Name], j'aimerais vous ajouter à mon réseau LinkedIn.",
)
LINKEDIN_DE = (
    "Ich möchte Sie gerne zu meinem beruflichen Netzwerk auf LinkedIn hinzufügen.",
    "Ich möchte dich gerne zu meinem beruflichen Netzwerk auf LinkedIn hinzufügen.",
    "Hallo [Name], ich möchte Sie gerne zu meinem beruflichen Netzwerk auf LinkedIn hinzufügen.",
)
LINKEDIN_PL = (
    "Chciałbym dodać Cię do mojej sieci zawodowej na LinkedIn.",
    "Chciałabym dodać Cię do mojej sieci zawodowej na LinkedIn.",
    "Chciałbym dodać Cię do mojej sieci kontaktów na LinkedIn.",
    "Chciałabym dodać Cię do mojej sieci kontaktów na LinkedIn.",
)
VIADEO_FR = ("Je vous invite à rejoindre mon réseau sur Viadeo.",)
XING_DE = (
    "Ich würde Sie gerne als Kontakt hinzufügen.",
    "Ich würde dich gerne als Kontakt hinzufügen.",
)

STOCK_INVITATIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("LinkedIn", "English", LINKEDIN_EN),
    ("LinkedIn", "French", LINKEDIN_FR),
    ("LinkedIn", "German", LINKEDIN_DE),
    ("LinkedIn", "Polish", LINKEDIN_PL),
    ("Viadeo", "French", VIADEO_FR),
    ("Xing", "German", XING_DE),
)

# -- words that say nothing about anyone ----------------------------------------

GREETINGS = (
    "hi",
    "hello",
    "hey",
    "dear",
    "good morning",
    "good afternoon",
    "good evening",
    "greetings",
    "bonjour",
    "bonsoir",
    "salut",
    "cher",
    "chere",
    "hallo",
    "guten tag",
    "guten morgen",
    "liebe",
    "lieber",
    "sehr geehrte",
    "sehr geehrter",
    "servus",
    "moin",
    "dzien dobry",
    "witam",
    "witaj",
    "czesc",
    "szanowna",
    "szanowny",
    "szanowni",
)
SIGN_OFFS = (
    "best",
    "best regards",
    "kind regards",
    "warm regards",
    "regards",
    "all the best",
    "best wishes",
    "cheers",
    "thanks",
    "many thanks",
    "thank you",
    "sincerely",
    "yours",
    "cordialement",
    "bien cordialement",
    "bien a vous",
    "merci",
    "a bientot",
    "belle journee",
    "bonne journee",
    "viele grusse",
    "beste grusse",
    "liebe grusse",
    "freundliche grusse",
    "mit freundlichen grussen",
    "mit besten grussen",
    "grusse",
    "gruss",
    "lg",
    "vg",
    "mfg",
    "pozdrawiam",
    "serdecznie pozdrawiam",
    "z powazaniem",
    "pozdrowienia",
    "dziekuje",
)
HONORIFICS = frozenset("mr mrs ms miss dr prof madame monsieur mme mlle m frau herr pani pan panie".split())
NAME_PARTICLES = frozenset("de du des la le van von der den di da dos del y zu".split())
# Folded stop words of English, French, German and Polish, plus words every invitation
# uses: none of them makes a text specific to one person.
STOP_WORDS = frozenset(
    """
a an and are as at be been being but by can could did do does for from had has have he her here hers him his how
i if in into is it its just me more most my no not now of on once only or other our out over own same she should so
some such than that the their theirs them then there these they this those through to too under until up very was
we were what when where which while who whom why will with would you your yours about above after again against
because before below between both during each few further itself myself ourselves themselves yourself yourselves
also really maybe would could should might shall think thing things still never always often every people
someone something anything nothing thanks thank hello great thing always quite
le la les un une des du de d l et est en au aux ce ces cet cette il elle ils elles je tu nous vous on ne pas
plus que qui quoi dont ou mais donc or ni car pour par sur dans avec sans sous chez leur leurs mon ma mes ton ta tes
son sa ses notre nos votre vos tres aussi alors comme encore toujours depuis entre avant apres parce quand
selon etait etre avoir fait faire suis sont avez avons tout tous toute toutes autre autres meme bien merci
der die das den dem des ein eine einen einem einer und oder aber nicht ist sind war waren ich du er sie es wir
ihr mein meine meinen meinem dein deine sein seine ihre ihren unser unsere euer mit fur auf aus bei nach von vor
zu zum zur uber unter durch gegen ohne auch noch schon immer wieder sehr haben hatte werden wurde diese dieser
dieses jener welche welcher zwischen damit dass weil wenn gerne gern
i w z na do nie to jest sie ze co jak ale czy od po za o dla tak juz jego jej ich mnie ciebie ty my wy oni ona
ono bardzo przez tylko jeszcze moze takze bedzie jako oraz zeby ktore ktory ktora ktorzy tego tym tej ten ta te
byl byla bylo sa jestem jestes mam masz
linkedin viadeo xing goldenline network networks networking reseau reseaux netzwerk siec sieci contact contacts
kontakt kontakte kontakty kontaktow profile profil profiles invitation invite inviter einladung zaproszenie
connect connection connected professional professionnel professionnelle beruflichen zawodowej
""".split()
)
# Words any invitation may use ("looking forward to learning about your experience"): a note
# holding them does not make a text that uses them specific.
GENERIC_WORDS = frozenset(
    """
looking forward learn learning hearing connect connecting working works worked spoke speak talked talking
would love loved loves enjoy enjoys interested interesting opportunity opportunities experience experiences
career field industry background company companies share sharing meeting recently currently future
contacted touch reach chance happy great exchange discuss discussion conversation coffee
echanger echange parcours entreprise carriere experience opportunite poste travail rencontre
arbeit erfahrung austausch unternehmen karriere gesprach treffen
praca pracy doswiadczenie firma firmy rozmowa kariera spotkanie
""".split()
)
# Words of a news headline that are about news in general, not about this company.
NEWS_WORDS = frozenset(
    """
announces announced announcement launches launched launch introduces introducing unveils today update
million billion percent annonce annonces lance lancement nouveau nouvelle nouvelles millions milliard
kundigt startet neues neuer neue millionen ogłasza oglasza nowy nowa nowe milion milionow
""".split()
)
TITLE_GENERIC = frozenset("senior junior sr jr".split())
LEGAL_FORMS = frozenset(
    """
gmbh ag kg se sa sas sasu sarl eurl ltd limited inc llc llp plc corp co bv nv spa srl sp z o oo zoo ab as oy
""".split()
)
COMPANY_GENERIC = frozenset(
    """
group groupe gruppe grupa holding holdings company societe bank banque systems solutions software technologies
technology tech consulting services partners capital labs lab digital global international
""".split()
)

# Contractions spelled out so "I'd like" and "I would like" match alike.
_CONTRACTIONS = {"i'd": "i would", "id": "i would", "i'm": "i am", "we'd": "we would"}
_WORD = re.compile(r"\w+(?:'\w+)*")
_PLAIN_WORD = re.compile(r"\w+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})
_FUZZY = 0.9  # SequenceMatcher ratio from which a stretch of text counts as the stock sentence


@dataclass
class InvitationContext:
    """What is specific to one person: what a hand-written invitation can mention."""

    name: str
    first_name: str = ""
    company: str | None = None
    title: str | None = None
    shared_companies: list[str] = field(default_factory=list)
    recent_news_titles: list[str] = field(default_factory=list)
    note_words: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Warning:  # noqa: A001 - the name the CLI and TUI use; only ever imported from this module
    """One thing to fix in an invitation; `code` is too_short, not_specific or stock_sentence."""

    code: str
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


InvitationWarning = Warning


# -- building the context --------------------------------------------------------


def distinctive_words(texts: Iterable[str], min_letters: int = 5, limit: int = 200) -> list[str]:
    """Words of at least `min_letters` letters that are no stop word, in order of first use, once each."""
    seen: set[str] = set()
    out: list[str] = []
    for text in texts:
        for word in _PLAIN_WORD.findall(text or ""):
            key = fold(word)
            if len(key) < min_letters or key.isdigit() or key in STOP_WORDS or key in GENERIC_WORDS or key in seen:
                continue
            seen.add(key)
            out.append(word.lower())
            if len(out) >= limit:
                return out
    return out


def context_for(nb: Notebook, person: str | int) -> InvitationContext:
    """Gather from the notebook what an invitation to `person` could mention."""
    p = nb.person(person)
    names = [w for w in p.name.split() if fold(w).rstrip(".") not in HONORIFICS] or [p.name]
    shared: list[str] = []
    me = nb.me()
    if me is not None and me.id != p.id:
        mine = nb.positions_of(me.id)
        my_ids = {x.company_id for x in mine if x.company_id is not None}
        my_names = {fold(x.company_name) for x in mine}
        seen: set[str] = set()
        for pos in reversed(nb.positions_of(p.id)):  # the latest first
            key = fold(pos.company_name)
            if (pos.company_id is not None and pos.company_id in my_ids) or key in my_names:
                if key not in seen:
                    seen.add(key)
                    shared.append(pos.company_name)
    news = nb.news(company=p.company_slug, limit=NEWS_ITEMS) if p.company_slug else []
    notes = nb.notes(person=p.id)
    return InvitationContext(
        name=p.name,
        first_name=names[0],
        company=p.company,
        title=p.title,
        shared_companies=shared,
        recent_news_titles=[n.title for n in news if n.title],
        note_words=distinctive_words(n.body for n in notes),
    )


# -- the checks ------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    """Folded words, apostrophes kept inside ("i'd", "j'aimerais") so a word counts once."""
    return _WORD.findall(fold(text).translate(_APOSTROPHES))


def _units(tokens: list[str]) -> tuple[list[str], list[int]]:
    """Words for matching, contractions spelled out, each with the index of the token it came from."""
    words: list[str] = []
    owners: list[int] = []
    for i, token in enumerate(tokens):
        for part in _CONTRACTIONS.get(token, token).split():
            words.append(part)
            owners.append(i)
    return words, owners


@dataclass(frozen=True)
class _Stock:
    network: str
    language: str
    sentence: str
    core: tuple[str, ...]  # the longest stretch without the [Name] placeholder, as matching words


def _compile_stock() -> list[_Stock]:
    out = []
    for network, language, sentences in STOCK_INVITATIONS:
        for sentence in sentences:
            pieces = sentence.split("[Name]")
            runs = [_units(_tokens(piece))[0] for piece in pieces]
            core = max(runs, key=len)
            out.append(_Stock(network, language, sentence, tuple(core)))
    return out


_STOCK = _compile_stock()


@dataclass(frozen=True)
class StockMatch:
    network: str
    language: str
    sentence: str
    start: int  # token indices into the text, end excluded
    end: int
    score: float


def find_stock_sentences(text: str) -> list[StockMatch]:
    """The stretches of `text` that are (nearly) one of the networks' default invitations."""
    tokens = _tokens(text)
    return _find_stock(tokens)


def _find_stock(tokens: list[str]) -> list[StockMatch]:
    words, owners = _units(tokens)
    candidates: list[tuple[float, int, int, _Stock]] = []
    for stock in _STOCK:
        n = len(stock.core)
        if not n or len(words) < n - 1:
            continue
        target = " ".join(stock.core)
        vocabulary = set(stock.core)
        scores: dict[str, float] = {}
        # Cheap filter first: most of the stock sentence's words must be in the window.
        hits = [0]
        for word in words:
            hits.append(hits[-1] + (word in vocabulary))
        if hits[-1] < 0.7 * n:
            continue
        for length in (n, n - 1, n + 1):
            if length < 1:
                continue
            for i in range(0, len(words) - length + 1):
                if hits[i + length] - hits[i] < 0.7 * n:
                    continue
                window = " ".join(words[i : i + length])
                score = scores.get(window)
                if score is None:  # a pasted text may repeat itself: compare each stretch once
                    matcher = SequenceMatcher(None, window, target, autojunk=False)
                    score = scores[window] = (
                        matcher.ratio()
                        if matcher.real_quick_ratio() >= _FUZZY and matcher.quick_ratio() >= _FUZZY
                        else 0.0
                    )
                if score >= _FUZZY:
                    candidates.append((score, i, i + length, stock))
    # Best matches first (then the longest); keep those that do not overlap a better one.
    candidates.sort(key=lambda c: (-c[0], -(c[2] - c[1]), c[1]))
    taken: list[tuple[int, int]] = []
    found: list[StockMatch] = []
    for score, start, end, stock in candidates:
        if any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))
        found.append(
            StockMatch(
                stock.network, stock.language, stock.sentence, owners[start], owners[end - 1] + 1, round(score, 3)
            )
        )
    return sorted(found, key=lambda m: m.start)


def _phrases(items: Iterable[str]) -> list[tuple[str, ...]]:
    return [tuple(_tokens(item)) for item in items if item and _tokens(item)]


def _strip_leading(tokens: list[str], phrases: list[tuple[str, ...]], also: set[str]) -> list[str]:
    """Drop greetings, honorifics and the person's name from the start ("Dear Ms Schmidt,")."""
    i = 0
    while i < len(tokens):
        for phrase in phrases:
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            if tokens[i] in also:
                i += 1
                continue
            break
    return tokens[i:]


def _strip_trailing(tokens: list[str], phrases: list[tuple[str, ...]], tail: int = 3) -> list[str]:
    """Drop the closing sign-off and what follows it, your name ("Best regards, Jan Nowak"),
    then any sign-off right before it ("Merci, cordialement")."""
    allowed = tail
    kept = tokens
    while tokens:
        best: tuple[int, int] | None = None  # (end, start) of the sign-off that closes latest, longest first
        for start in range(max(0, len(tokens) - allowed - 4), len(tokens)):
            for phrase in phrases:
                end = start + len(phrase)
                if tuple(tokens[start:end]) == phrase and len(tokens) - end <= allowed:
                    if best is None or (end, -start) > (best[0], -best[1]):
                        best = (end, start)
        if best is None:
            return kept
        kept = tokens = tokens[: best[1]]
        # "Merci et à bientôt": a sign-off joined to the one after it by "and" goes too.
        while tokens and tokens[-1] in _CONNECTORS:
            tokens = tokens[:-1]
        allowed = 0
    return kept


_CONNECTORS = frozenset("and et und i y".split())
_GREETING_PHRASES = sorted(_phrases(GREETINGS), key=len, reverse=True)
_SIGN_OFF_PHRASES = sorted(_phrases(SIGN_OFFS), key=len, reverse=True)


def own_words(text: str, ctx: InvitationContext | None = None) -> list[str]:
    """The words of `text` that are yours: no stock sentence, greeting, sign-off or the person's name."""
    tokens = _tokens(text)
    return _own_words(tokens, _find_stock(tokens), ctx)


def _own_words(tokens: list[str], stock: list[StockMatch], ctx: InvitationContext | None) -> list[str]:
    dropped: set[int] = set()
    for match in stock:
        dropped.update(range(match.start, match.end))
    kept = [t for i, t in enumerate(tokens) if i not in dropped]
    name_words = _name_words(ctx)
    kept = _strip_leading(kept, _GREETING_PHRASES, HONORIFICS | name_words)
    kept = _strip_trailing(kept, _SIGN_OFF_PHRASES)
    return [t for t in kept if t not in name_words and _core(t) not in name_words]


def _core(token: str) -> str:
    """A word without its possessive ending: "anna's" -> "anna"."""
    return token.split("'")[0]


def _name_words(ctx: InvitationContext | None) -> set[str]:
    if ctx is None:
        return set()
    words = set(_PLAIN_WORD.findall(fold(f"{ctx.name} {ctx.first_name}")))
    return {w for w in words if len(w) >= 2 and w not in NAME_PARTICLES}


def _company_phrases(name: str) -> list[tuple[str, ...]]:
    """How a text may name a company: its whole name, without legal form, or a distinctive word of it."""
    words = _PLAIN_WORD.findall(fold(name))
    out = [tuple(words)] if words else []
    core = list(words)
    while core and core[-1] in LEGAL_FORMS:
        core.pop()
    if core and tuple(core) != tuple(words):
        out.append(tuple(core))
    out += [
        (w,) for w in core if len(w) >= 4 and w not in COMPANY_GENERIC and w not in STOP_WORDS and w not in LEGAL_FORMS
    ]
    return out


def _hooks(ctx: InvitationContext) -> tuple[list[tuple[str, ...]], set[str]]:
    """What would make a text specific to the person: exact phrases (names), and words matched by stem."""
    phrases: list[tuple[str, ...]] = []
    name = tuple(_PLAIN_WORD.findall(fold(ctx.name)))
    if name:
        phrases.append(name)
    phrases += [(w,) for w in sorted(_name_words(ctx))]
    for company in [ctx.company, *ctx.shared_companies]:
        if company:
            phrases += _company_phrases(company)
    words: set[str] = set()
    if ctx.title:
        words.update(
            w
            for w in _PLAIN_WORD.findall(fold(ctx.title))
            if len(w) >= 3 and w not in STOP_WORDS and w not in TITLE_GENERIC
        )
    for title in ctx.recent_news_titles:
        words.update(w for w in (fold(x) for x in distinctive_words([title])) if w not in NEWS_WORDS)
    words.update(fold(w) for w in ctx.note_words if w and fold(w) not in STOP_WORDS and fold(w) not in GENERIC_WORDS)
    return [p for p in phrases if p], words


def _same_word(hook: str, word: str) -> bool:
    """Equal, or the same stem for longer words ("payments" ~ "payment", "expansion" ~ "expand")."""
    if hook == word:
        return True
    if len(hook) >= 5 and len(word) >= 5:
        stem = max(5, len(hook) - 2)
        return word.startswith(hook[:stem])
    return False


def _acronyms(text: str | None) -> set[str]:
    """Upper-case words such as "VP", "HR", "IT": short, so matched only in upper case."""
    return {w for w in _PLAIN_WORD.findall(text or "") if len(w) >= 2 and w.isupper()}


def mentions_something_specific(text: str, ctx: InvitationContext) -> bool:
    """Whether `text`, stock sentences aside, names the person, their company or role, a shared
    company, a word of their company's recent news or of your notes on them."""
    tokens = _tokens(text)
    return _mentions(text, tokens, _find_stock(tokens), ctx)


def _mentions(text: str, tokens: list[str], stock: list[StockMatch], ctx: InvitationContext) -> bool:
    if _acronyms(ctx.title) & _acronyms(text):
        return True
    dropped = {i for m in stock for i in range(m.start, m.end)}
    words = [w for i, t in enumerate(tokens) if i not in dropped for w in _PLAIN_WORD.findall(t)]
    distinct = set(words)
    phrases, stems = _hooks(ctx)
    for phrase in phrases:
        n = len(phrase)
        if n == 1 and phrase[0] in distinct:
            return True
        if n > 1 and any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1)):
            return True
    return any(hook in distinct or any(_same_word(hook, w) for w in distinct) for hook in stems)


def _not_specific_message(ctx: InvitationContext) -> str:
    hooks = []
    if ctx.company:
        hooks.append(f"their company ({ctx.company})")
    if ctx.title:
        hooks.append("role" if hooks else "their role")
    if ctx.shared_companies:
        hooks.append(f"a shared company ({ctx.shared_companies[0]})")
    if ctx.recent_news_titles:
        hooks.append("their news")
    if ctx.note_words:
        hooks.append("your notes")
    if not hooks:
        return f"mentions nothing specific to {ctx.name}, not even their name"
    listed = ", ".join(hooks[:-1]) + (" or " if len(hooks) > 1 else "") + hooks[-1]
    return f"mentions nothing specific to {ctx.name}: {listed}"


def check(text: str, ctx: InvitationContext | None = None) -> list[Warning]:
    """What to fix before sending `text`; an empty list means it reads as written by hand for them.

    Without a context only the length and the stock sentences are checked.
    """
    text = text or ""
    tokens = _tokens(text)
    stock = _find_stock(tokens)
    warnings: list[Warning] = []
    count = len(_own_words(tokens, stock, ctx))
    if count < MIN_OWN_WORDS:
        amount = "no words" if count == 0 else "only 1 word" if count == 1 else f"only {count} words"
        warnings.append(Warning("too_short", f"{amount} of your own — aim for a dozen"))
    if ctx is not None and not _mentions(text, tokens, stock, ctx):
        warnings.append(Warning("not_specific", _not_specific_message(ctx)))
    if stock:
        best = max(stock, key=lambda m: (m.score, m.end - m.start))
        warnings.append(
            Warning("stock_sentence", f"reads like the network's default invitation ({best.network}, {best.language})")
        )
    return warnings
