"""Vocabulary mining: the words, acronyms and phrases distinctive of a company's news, and the interview drill.

A term is distinctive when the company's items hold it far more often than the rest of the notebook's news
does: Dunning's log-likelihood (G²) over item counts, the keyness measure corpus linguists use (it stays
sound with small counts, where a ratio of frequencies would not). The rest of the notebook's news is read
from the full-text index's own vocabulary (an fts5vocab table) and phrase queries, so mining reads only
the company's items. Each item's language is the one whose stopwords (stopwordsiso) it holds most of;
those stopwords never count, and inflections fold into one term through their lemma (simplemma,
dictionaries inside the package): "licence" and "licences", "Lizenz" and "Lizenzen" are one suggestion.
Nothing is downloaded at run time. (py3langid was tried for the languages: it needs numpy, which
sqlite-utils then imports in every command, 13 MB and 0.1 s more for `researcher sync --help`.)
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from researcher.store import Invalid, NotFound
from researcher.store.mentions import READ_BUDGET, WORD, fold_words, index_word, org_key, words
from researcher.store.notebook import Notebook
from researcher.text import clean_line, quoted

MIN_COUNT = 2  # occurrences a term needs in the company's news
MAX_PHRASE = 3  # words in a phrase (_scan notes those of two and three)
DETECT_SAMPLE = 200  # items whose language is detected
MIN_LANGUAGE_SHARE = 0.15  # of those, a language needs this share to count
BACKGROUND_SAMPLE = 3_000  # other items read to count the candidates elsewhere (a sample, beyond that)
EXACTLY_COUNTED = 40  # candidates counted exactly in the full-text index after a sample ranked them
EXAMPLE_CHARS = 240
# Languages the detector may answer: those with both stopwords and a lemmatiser (plus English, always read).
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")
_JOINERS = re.compile(r"[ \u00a0\-‐‑'’]{1,3}")  # what may stand between two words of a phrase
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,7}")


# -- languages, stopwords, lemmas ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def supported_languages() -> tuple[str, ...]:
    import stopwordsiso
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

    return tuple(sorted(set(stopwordsiso.langs()) & set(SUPPORTED_LANGUAGES)))


# Preferred when two languages find as many of their stopwords in a text (English first: feeds quote it).
_PREFERRED = ("en", "fr", "de", "es", "pl", "it", "nl", "pt", "sv", "da", "nb", "cs")


@lru_cache(maxsize=1)
def _stopword_languages() -> dict[str, tuple[str, ...]]:
    """For each stopword, the languages it is a stopword of."""
    import stopwordsiso

    index: dict[str, list[str]] = {}
    for language in supported_languages():
        for word in stopwordsiso.stopwords(language):
            index.setdefault(word.lower(), []).append(language)
    return {word: tuple(languages) for word, languages in index.items()}


def _rank(language: str) -> tuple[int, str]:
    return (_PREFERRED.index(language) if language in _PREFERRED else len(_PREFERRED), language)


def detect_language(text: str) -> str | None:
    """The language whose stopwords a text holds most of (None: none at all). Function words are what tells
    languages apart in running text; over a company's many items this is as reliable as a trained model, for
    a dictionary lookup a word."""
    index = _stopword_languages()
    counts: Counter = Counter()
    for word in WORD.findall(text.lower()):
        languages = index.get(word)
        if languages:
            counts.update(languages)
    if not counts:
        return None
    best = max(counts.values())
    return min((lang for lang, n in counts.items() if n == best), key=_rank)


def detect_languages(texts: Iterable[str]) -> list[str]:
    """The languages of a company's items, most common first: those of at least 15% of a sample."""
    counts = Counter(detect_language(text[:2000]) for text in texts)
    counts.pop(None, None)
    if not counts:
        return ["en"]
    total = sum(counts.values())
    ranked = [lang for lang, n in counts.most_common() if n / total >= MIN_LANGUAGE_SHARE]
    return (ranked or [counts.most_common(1)[0][0]])[:3]


@lru_cache(maxsize=32)
def stopwords(languages: tuple[str, ...]) -> frozenset[str]:
    """Folded stopwords of these languages and of English (feeds in any language quote English)."""
    import stopwordsiso

    wanted = [lang for lang in {*languages, "en"} if stopwordsiso.has_lang(lang)]
    return frozenset(fold_words(w) for w in stopwordsiso.stopwords(wanted))


@lru_cache(maxsize=1)
def _lemmatizer():
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy
    from simplemma.strategies.dictionaries import StreamDictionaryFactory

    # The stream dictionaries load in about half the time of the default ones (Polish: 1.5 s, not 4).
    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=StreamDictionaryFactory()))


def warm_up(nb: Notebook | None = None, language: str = "en") -> None:
    """Load what a first mining reads besides the company's news: every language's stopwords, a language's lemmas
    (0.13 s for English) and, given the notebook, its background sample (0.05-0.1 s on a million items). The app
    does it while the user reads, before a Vocabulary tab is shown."""
    _stopword_languages()
    stopwords((language,))
    _lemmatizer().lemmatize("licences", lang=language)  # loads the language's dictionary
    if nb is not None:
        _background(nb, nb.news_total())


@lru_cache(maxsize=200_000)
def lemma_key(word: str, language: str) -> str:
    """The folded lemma of a word as written ("Lizenzen" -> "lizenz"); acronyms keep theirs ("PPAs" -> "ppa")."""
    if _ACRONYM.fullmatch(word):
        return fold_words(word)
    if len(word) > 2 and word.endswith("s") and any(c.isupper() for c in word[1:-1]):  # "PPAs", "eCRFs"
        return fold_words(word[:-1])
    if language in supported_languages() and not any(c.isdigit() for c in word):
        try:
            return fold_words(_lemmatizer().lemmatize(word, lang=language))
        except ValueError:  # a language the lemmatiser declines after all
            pass
    return fold_words(word)


def term_key(text: str, language: str) -> str:
    """The key a term is known by: the folded lemmas of its words ("Chargeback-Quoten" -> "chargeback quote")."""
    return " ".join(lemma_key(w, language) for w in WORD.findall(text))


# -- suggestions ------------------------------------------------------------------------------------------------


@dataclass
class Suggestion:
    term: str  # as the news writes it most often
    key: str  # its folded lemmas: a dismissal is kept by this
    kind: str  # word | acronym | phrase
    count: int  # occurrences in the company's news
    items: int  # the company's items that hold it
    elsewhere: int  # items of the rest of the notebook's news that hold it
    score: float  # log-likelihood keyness (higher: more distinctive)
    example: str  # the sentence it came from
    item_id: int  # the item that sentence is from
    item_title: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Suggestions:
    company_id: int
    company: str
    slug: str
    languages: list[str]
    items_read: int
    items_elsewhere: int
    suggestions: list[Suggestion] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "suggestions": [s.to_dict() for s in self.suggestions]}


@dataclass
class _Seen:
    count: int = 0
    items: set[int] = field(default_factory=set)
    surfaces: Counter = field(default_factory=Counter)
    index_forms: dict[str, set[int]] = field(default_factory=dict)  # as the index spells it: the items holding it
    example: tuple[str, int, str] | None = None  # sentence, item id, item title


def _scan(texts: list[tuple[int, str, str]], stop: frozenset[str]) -> dict[str, _Seen]:
    """Count every candidate word and phrase (by its folded words) in the company's items."""
    seen: dict[str, _Seen] = {}
    # Per distinct word as written: (folded, usable as a term or a phrase's edge, usable inside a phrase, as the
    # index spells it). A company's news repeats its words: each is looked at once.
    known: dict[str, tuple[str, bool, bool, str]] = {}
    finditer, joined, split = WORD.finditer, _JOINERS.fullmatch, _SENTENCE.split

    def note(key: str, surface: str, index_form: str, item_id: int, sentence: str, title: str) -> None:
        entry = seen.get(key)
        if entry is None:
            entry = seen[key] = _Seen(example=(sentence, item_id, title))
        entry.count += 1
        entry.items.add(item_id)
        entry.surfaces[surface] += 1
        forms = entry.index_forms.get(index_form)
        if forms is None:
            entry.index_forms[index_form] = {item_id}
        else:
            forms.add(item_id)

    for item_id, title, summary in texts:
        for sentence in [title, *split(summary)] if summary else (title,):
            previous_end = -1
            # The one and two words before this one, when spaces or hyphens join them to it: (word's info, start).
            one: tuple[tuple[str, bool, bool, str], int] | None = None
            two: tuple[tuple[str, bool, bool, str], int] | None = None
            for m in finditer(sentence):
                start, end = m.span()
                word = m.group()
                info = known.get(word)
                if info is None:
                    folded = fold_words(word)
                    info = known[word] = (
                        folded,
                        _usable(word, folded, stop),
                        len(folded) >= 2 and not folded.isdigit(),
                        index_word(word),
                    )
                if previous_end >= 0 and not (
                    (start - previous_end == 1 and sentence[previous_end] == " ")
                    or joined(sentence, previous_end, start)
                ):
                    one = two = None
                previous_end = end
                if info[1]:
                    # The word, and the phrases it ends: their first word usable as an edge, every word inside.
                    note(info[0], word, info[3], item_id, sentence, title)
                    if one is not None and info[2] and one[0][2]:
                        if one[0][1]:
                            note(
                                f"{one[0][0]} {info[0]}",
                                sentence[one[1] : end],
                                f"{one[0][3]} {info[3]}",
                                item_id,
                                sentence,
                                title,
                            )
                        if two is not None and two[0][1] and two[0][2]:
                            note(
                                f"{two[0][0]} {one[0][0]} {info[0]}",
                                sentence[two[1] : end],
                                f"{two[0][3]} {one[0][3]} {info[3]}",
                                item_id,
                                sentence,
                                title,
                            )
                two, one = one, (info, start)
    return seen


def _usable(word: str, folded: str, stop: frozenset[str]) -> bool:
    """Whether a word may be a term or the edge of a phrase: no stopword, no number, 3 letters (2 for an acronym)."""
    if folded in stop or not any(c.isalpha() for c in word):
        return False
    return len(folded) >= 3 or bool(_ACRONYM.fullmatch(word))


def _g2(a: int, b: int, c: int, d: int) -> float:
    """Dunning's log-likelihood of a term in a of c items here and b of d items elsewhere (0 if not more common here)."""
    if d <= 0:
        return a * math.log1p(a)
    if a * d <= b * c:
        return 0.0
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    score = a * math.log(a / e1)
    if b:
        score += b * math.log(b / e2)
    return 2 * score


def _excluded_words(nb: Notebook, company_id: int, company_name: str) -> tuple[set[str], set[str]]:
    """(words no term may hold, keys no term may be): the names of the people its news names, the company's own
    name, and the names of the companies the notebook tracks."""
    banned = set(words(company_name)) - {"gmbh", "ag", "sa", "sas", "ltd", "sl", "se", "inc"}
    for name in nb.names_in_company_news(company_id):
        banned.update(w for w in words(name) if len(w) > 2)
    keys = set()
    for name, location in nb.company_names_and_places():
        company_keys, company_banned = _company_words(name, location)
        keys.update(company_keys)
        banned.update(company_banned)
    return banned, keys


@lru_cache(maxsize=20_000)
def _company_words(name: str, location: str) -> tuple[tuple[str, str], tuple[str, ...]]:
    """A tracked company's (keys no term may be, words no term may hold): its name, with and without its legal
    form; its first word ("Fernhollow" of Fernhollow Health Ltd) and its location's (places are no vocabulary).
    Kept between minings: a big notebook tracks thousands of companies, and their names seldom change."""
    name_words = words(name)
    return (org_key(name), " ".join(name_words)), (*name_words[:1], *words(location))


@dataclass
class _Mined:
    """What a company's news holds before it is compared with the rest: the candidates, each as (key, what was
    seen of it, the folded words of each spelling), and what scoring them needs."""

    result: Suggestions  # its suggestions still empty
    total: int  # items in the index
    stop: frozenset[str]
    candidates: list[tuple[str, _Seen, set[str]]]


def _mine(nb: Notebook, company: str | int) -> _Mined:
    target = nb.company(company)
    if not nb.read_only_reason:
        nb.index_news()  # the index must hold every item: it tells how common a word is elsewhere
        nb.link_mentions(budget=READ_BUDGET)  # the names of people in the news are no vocabulary
    texts = nb.company_news_texts(target.id)
    total = nb.news_total()
    result = Suggestions(target.id, target.name, target.slug, [], len(texts), max(0, total - len(texts)))
    if not texts:
        return _Mined(result, total, frozenset(), [])
    step = max(1, len(texts) // DETECT_SAMPLE)
    languages = detect_languages(f"{t}\n{s}" for _, t, s in texts[::step])
    result.languages = languages
    language = languages[0]
    stop = stopwords(tuple(languages))
    seen = _scan(texts, stop)
    groups = _group(seen, language)
    banned, company_keys = _excluded_words(nb, target.id, target.name)
    known = _known_keys(nb, target.id, language)
    dismissed = nb.dismissed_keys(target.id)
    candidates = []
    taken = dismissed | known | company_keys  # (once: 6,000 keys of the companies alone on a big notebook)
    for key, entry in groups.items():
        if (
            entry.count < MIN_COUNT
            or (len(entry.items) < 2 and entry.count < 3)
            or key in known
            or key in dismissed
            or key in company_keys
        ):
            continue
        plain = {" ".join(words(s)) for s in entry.surfaces}
        if plain & taken or any(not banned.isdisjoint(w.split()) for w in (key, *plain)):
            continue
        candidates.append((key, entry, plain))
    # What gives way to a known term, whatever it scores, goes before anything is counted elsewhere: the exact
    # counts are for the best candidates, and a product's name in the glossary made twenty of its phrases the best
    # ("launches TertecLink"...), which were then all dropped.
    in_news = [(k.split(), groups[k].count) for k in known if k in groups]
    candidates = [c for c in candidates if not _gives_way(c[0].split(), c[1].count, in_news)]
    return _Mined(result, total, stop, candidates)


def suggest_terms(nb: Notebook, company: str | int, limit: int = 20) -> Suggestions:
    """The terms most distinctive of a company's news that its glossary (and the global one) lacks, best first,
    each with its count and the sentence it came from. Dismissed terms never come back."""
    mined = _mine(nb, company)
    result = mined.result
    if not mined.candidates:
        return result
    scored = _score(
        nb,
        result.company_id,
        mined.candidates,
        result.items_read,
        result.items_elsewhere,
        limit,
        mined.stop,
        mined.total,
    )
    result.suggestions = _unsubsumed(scored)[:limit]
    return result


def _group(seen: dict[str, _Seen], language: str) -> dict[str, _Seen]:
    """Fold inflections together: entries whose words have the same lemmas become one."""
    groups: dict[str, _Seen] = {}
    for entry in seen.values():
        surface = entry.surfaces.most_common(1)[0][0]
        key = term_key(surface, language)
        group = groups.get(key)
        if group is None:
            groups[key] = entry
            continue
        group.count += entry.count
        group.items |= entry.items
        group.surfaces.update(entry.surfaces)
        for form, items in entry.index_forms.items():
            group.index_forms.setdefault(form, set()).update(items)
    return groups


def _known_keys(nb: Notebook, company_id: int, language: str) -> set[str]:
    keys = set()
    for term in nb.terms(company_id, include_global=True):
        keys.update((term_key(term.term, language), " ".join(words(term.term))))
    return keys


def _score(
    nb: Notebook,
    company_id: int,
    candidates: list[tuple[str, _Seen, set[str]]],
    here: int,
    elsewhere: int,
    limit: int,
    stop: frozenset[str],
    total: int,
) -> list[Suggestion]:
    """Score each candidate (its key, what was seen of it, the folded words of each spelling) against the rest of
    the news. A notebook of up to BACKGROUND_SAMPLE items is read whole (exact counts); a bigger one is sampled to
    rank the candidates, and the best are then counted exactly in the full-text index (a word's count there costs
    milliseconds on a million items: not for thousands)."""
    sample, exact = _background(nb, total)
    texts = [text for owner, text in sample if owner != company_id]
    others = total - nb.company_item_count(company_id)
    counted = _background_counts(texts, set().union(*(plain for *_, plain in candidates)))
    scale = others / len(texts) if texts else 0.0
    estimates = []
    for key, entry, plain in candidates:
        b = round(sum(counted.get(v, 0) for v in plain) * scale)
        estimates.append((_g2(len(entry.items), b, here, elsewhere), key, entry, b))
    estimates.sort(key=lambda x: -x[0])
    if not exact:
        estimates = estimates[: max(2 * limit, EXACTLY_COUNTED)]
        singles = {f for _, k, e, _ in estimates if " " not in k for f in e.index_forms}
        phrases = {f for _, k, e, _ in estimates if " " in k for f in e.index_forms}
        # A stopword inside a phrase is matched as any word (see phrase_doc_counts: an upper bound, 15 times faster).
        loose = {w for f in phrases for w in f.split(" ")[1:-1]} & {index_word(w) for w in stop}
        counts = {**nb.word_doc_counts(singles), **nb.phrase_doc_counts(phrases, loose)}
        # Items elsewhere: each spelling's items in the whole index, less the company's own items holding it.
        estimates = [
            (0.0, key, entry, sum(max(0, counts.get(f, 0) - len(items)) for f, items in entry.index_forms.items()))
            for _, key, entry, _ in estimates
        ]
    out = [s for _, key, entry, b in estimates if (s := _suggestion(key, entry, b, here, elsewhere)) is not None]
    out.sort(key=lambda s: (-s.score, -s.count, s.term.casefold()))
    return out


def _suggestion(key: str, entry: _Seen, b: int, here: int, elsewhere: int) -> Suggestion | None:
    """A candidate as suggested, seen in `b` items elsewhere; None if it is not more common here."""
    a = len(entry.items)
    score = _g2(a, b, here, elsewhere)
    if score <= 0:
        return None
    surface = _shown(entry.surfaces)
    sentence, item_id, title = entry.example  # type: ignore[misc]
    return Suggestion(
        term=clean_line(surface),
        key=key,
        kind="phrase" if " " in key else "acronym" if _ACRONYM.fullmatch(surface) else "word",
        count=entry.count,
        items=a,
        elsewhere=b,
        score=round(score, 2),
        example=_excerpt(sentence, surface),
        item_id=item_id,
        item_title=clean_line(title),
    )


_SAMPLES: dict[tuple, list[tuple[int, str]]] = {}  # the last background sample drawn (see _background)


def _background(nb: Notebook, total: int) -> tuple[list[tuple[int, str]], bool]:
    """BACKGROUND_SAMPLE items of the whole news, each as (its company, its folded words joined by spaces), and
    whether they are all of it. A sample is kept for the next mining while the news stays the same: a dossier
    after another reads and splits no item twice (a third of a mining's time on a million items, once the first
    is done). It only ranks the candidates before the best are counted exactly; a notebook read whole (exact
    counts) is read again each time."""
    top = nb.newest_item_id()
    key = None
    if nb.path is not None and total > BACKGROUND_SAMPLE:
        try:
            stat = nb.path.stat()
        except OSError:
            stat = None
        key = (str(nb.path.resolve()), stat and stat.st_ino, stat and stat.st_dev, top, total)
    sample = _SAMPLES.get(key) if key else None
    if sample is None:
        rows = nb.background_sample(BACKGROUND_SAMPLE, top, total)
        sample = [(owner, " ".join(WORD.findall(fold_words(f"{title}\n{summary}")))) for owner, title, summary in rows]
        if key:
            _SAMPLES.clear()
            _SAMPLES[key] = sample
    return sample, total <= BACKGROUND_SAMPLE


def _background_counts(texts: list[str], keys: set[str]) -> Counter:
    """In how many of these items (folded words joined by spaces) each key (folded words, likewise) appears."""
    singles = {k for k in keys if " " not in k}
    firsts = {k.split(" ", 1)[0] for k in keys if " " in k}
    counts: Counter = Counter()
    for text in texts:
        tokens = text.split(" ")
        seen = singles.intersection(tokens)
        if not firsts.isdisjoint(tokens):
            for i, token in enumerate(tokens):
                if token in firsts:
                    for size in range(2, MAX_PHRASE + 1):
                        phrase = " ".join(tokens[i : i + size])
                        if phrase in keys:
                            seen.add(phrase)
        counts.update(seen)
    return counts


def _unsubsumed(ranked: list[Suggestion]) -> list[Suggestion]:
    """Keep one suggestion where suggested terms overlap (see _gives_way)."""
    terms = [(s.key.split(), s.count) for s in ranked]
    return [s for s in ranked if not _gives_way(s.key.split(), s.count, terms)]


def _gives_way(words_: list[str], count: int, others: list[tuple[list[str], int]]) -> bool:
    """Whether a term (its words, its count in the news) gives way to one of `others` (likewise), suggested or
    known. A term mostly seen inside a longer one gives way to it ("jumeau" and "marin" beside "Jumeau marin": the
    longer one holds at least 70% of its uses; "Iskra" and "OS" beside a glossary's "Iskra OS"); a phrase that is
    a term plus a word or two, in a few of its uses only ("launches TervaFlow" beside "TervaFlow": under a third
    of them), gives way to the term."""
    for other, n in others:
        if len(other) > len(words_) and n >= 0.7 * count and _inside(words_, other):
            return True
        if len(other) < len(words_) and count < n / 3 and _inside(other, words_):
            return True
    return False


def _shown(surfaces: Counter) -> str:
    """How to write a term: as the news does most often, in lower case when it is written so at all (a word
    capitalised only at the start of titles and sentences is still a common noun)."""
    ranked = [w for w, _ in surfaces.most_common()]
    lower = [w for w in ranked if w.islower()]
    return lower[0] if lower and not _ACRONYM.fullmatch(ranked[0]) else ranked[0]


def _inside(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _excerpt(sentence: str, term: str) -> str:
    """The sentence, on one line, cut around the term when it is long."""
    text = clean_line(sentence)
    if len(text) <= EXAMPLE_CHARS:
        return text
    at = max(0, fold_words(text).find(fold_words(term)))
    start = max(0, at - EXAMPLE_CHARS // 3)
    piece = text[start : start + EXAMPLE_CHARS]
    return ("…" if start else "") + piece.strip() + ("…" if start + EXAMPLE_CHARS < len(text) else "")


# -- accepting and dismissing -------------------------------------------------------------------------------------


def _find(nb: Notebook, company: str | int, term: str) -> tuple[Suggestions, Suggestion | None]:
    """The suggestion a term is (by its lemmas, or the words of a spelling seen), whatever its rank: only that
    candidate is scored. (Mining 500 suggestions to look for it took 2 s on a million items, and missed some of
    those shown with 20: a longer list folds more phrases into the shorter terms it adds.)"""
    mined = _mine(nb, company)
    found = mined.result
    wanted = " ".join(words(term))
    key = term_key(clean_line(term), found.languages[0] if found.languages else "en")
    for candidate in mined.candidates:
        if candidate[0] == key or wanted in candidate[2]:
            scored = _score(
                nb, found.company_id, [candidate], found.items_read, found.items_elsewhere, 1, mined.stop, mined.total
            )
            return found, scored[0] if scored else None
    return found, None


def accept_suggestion(nb: Notebook, company: str | int, term: str, meaning: str = "") -> Any:
    """Add a suggested term to the company's glossary, with the sentence it came from and the item it was seen in.
    One transaction: if it fails, the notebook is as it was (mining brings the news index up to date)."""
    with nb.atomic():
        found, suggestion = _find(nb, company, term)
        if suggestion is None:
            raise NotFound(
                f"{quoted(term)} is not among the suggestions for {found.company};"
                " add it yourself with `researcher term add`"
            )
        return nb.add_glossary_term(
            suggestion.term,
            company=found.company_id,
            meaning=meaning,
            seen_in=clean_line(f"news: {suggestion.item_title}")[:300],
            example=suggestion.example,
        )


def dismiss_suggestion(nb: Notebook, company: str | int, term: str) -> str:
    """Never suggest this term for this company again; returns the term as it was suggested (or as given)."""
    text = clean_line(term)
    if not words(text):
        raise Invalid("say which term to dismiss")
    with nb.atomic():  # one transaction: if it fails, the notebook is as it was
        found, suggestion = _find(nb, company, text)
        language = found.languages[0] if found.languages else "en"
        shown = suggestion.term if suggestion else text
        for key in {suggestion.key if suggestion else term_key(text, language), " ".join(words(text))}:
            nb.dismiss_term(found.company_id, key, shown[:200])
    return shown


# -- the interview drill ------------------------------------------------------------------------------------------


@dataclass
class DrillCard:
    id: int
    term: str
    meaning: str
    example: str | None
    company: str | None  # None: the global glossary
    company_status: str | None  # where that company stands in the pipeline
    state: str  # "not yet" (missed last time) | "new" (never drilled) | "known"
    drills: int
    misses: int
    last_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_STATE_ORDER = {"not yet": 0, "new": 1, "known": 2}


def drill_order(nb: Notebook, company: str | int | None = None) -> list[DrillCard]:
    """The glossary in drill order: the terms missed last time first (most missed first), then the ones never
    drilled, then the known ones, longest unseen first."""
    cards = []
    for row in nb.drill_states(company):
        state = "new" if row["last_known"] is None else "known" if row["last_known"] else "not yet"
        cards.append(
            DrillCard(
                id=row["id"],
                term=row["term"],
                meaning=row["definition"] or "",
                example=row["example"],
                company=row["company"],
                company_status=row["company_status"],
                state=state,
                drills=row["drills"],
                misses=row["misses"],
                last_at=row["last_at"],
            )
        )
    cards.sort(key=lambda c: (_STATE_ORDER[c.state], -c.misses if c.state == "not yet" else 0, c.last_at or ""))
    return cards
