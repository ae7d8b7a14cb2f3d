"""City pairing: which cities wrote about the same things, and why.

Each city is one document: the notes written by people from the city, plus the notes the
facilitator tagged for it (those count `TAG_WEIGHT` times: the facilitator said they matter to
that city). Terms are words and two-word phrases (not across a stop word or punctuation), with a
light plural folding ("canteens" and "canteen" are one term). Weights are TF-IDF (sublinear term
frequency, smoothed inverse document frequency over cities; phrases weigh `PHRASE_BOOST` more),
and a pair's score is the cosine similarity of the two cities' vectors. Everything here is pure
computation on plain data (no database, nothing sent anywhere), so it can be offloaded.
"""

import math
import re
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache

from .matching import clusters as make_clusters
from .matching import suggestion as make_suggestion
from .stopwords import STOP_WORDS

TAG_WEIGHT = 3.0
PHRASE_BOOST = 1.5
MAX_SHARED = 8  # terms shown per pair
MAX_NOTES_PER_TERM = 6
_WORD = re.compile(r"[^\W\d_]+")
# Where a phrase ends: punctuation and line breaks.
_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”„«»/\\|\n\r\t–—•·]+")


@lru_cache(maxsize=65536)
def fold(word):
    """A word's key: casefolded already; a plural -s dropped ("canteens" -> "canteen")."""
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def note_terms(text):
    """{key: surface} for the words and two-word phrases of a note's text (each once)."""
    found = {}
    text = unicodedata.normalize("NFKC", text).casefold()
    for chunk in _BREAK.split(text):
        run = []
        for word in _WORD.findall(chunk) + [""]:  # "" closes the last run
            if len(word) < 3 or word in STOP_WORDS:
                for index, (key, surface) in enumerate(run):
                    found.setdefault(key, surface)
                    if index:
                        before_key, before = run[index - 1]
                        found.setdefault(f"{before_key} {key}", f"{before} {surface}")
                run = []
            else:
                run.append((fold(word), word))
    return found


def city_documents(notes, cities):
    """{city: [(note, weight, terms)]}: each note counts for its author's city and tagged cities."""
    documents = {city: [] for city in cities}
    for note in notes:
        terms = note_terms(note["text"])
        if not terms:
            continue
        if note["city"] in documents:
            documents[note["city"]].append((note, 1.0, terms))
        for city in note.get("tags", ()):
            if city in documents and city != note["city"]:
                documents[city].append((note, TAG_WEIGHT, terms))
    return documents


def vectors(documents):
    """({city: {term: weight}}, {term: shown form}) by TF-IDF over the cities."""
    frequency = {city: Counter() for city in documents}
    surfaces = defaultdict(Counter)
    for city, entries in documents.items():
        for _, weight, terms in entries:
            for key, surface in terms.items():
                frequency[city][key] += weight
                surfaces[key][surface] += 1
    counted = [city for city in documents if frequency[city]]
    spread = Counter(key for city in counted for key in frequency[city])
    total = len(counted)
    result = {}
    for city, terms in frequency.items():
        result[city] = {
            key: (1 + math.log(tf)) * (math.log((1 + total) / (1 + spread[key])) + 1)
            * (PHRASE_BOOST if " " in key else 1.0)
            for key, tf in terms.items()
        }
    shown = {key: counter.most_common(1)[0][0] for key, counter in surfaces.items()}
    return result, shown


def _norm(vector):
    return math.sqrt(sum(value * value for value in vector.values()))


def scores(vecs):
    """{(a, b): (score, {term: contribution})} for every pair of cities sharing a term."""
    norms = {city: _norm(vector) for city, vector in vecs.items()}
    cities = list(vecs)
    result = {}
    for i, a in enumerate(cities):
        for b in cities[i + 1:]:
            small, large = sorted((vecs[a], vecs[b]), key=len)
            common = {key: small[key] * large[key] for key in small if key in large}
            if common and norms[a] and norms[b]:
                scale = norms[a] * norms[b]
                parts = {key: value / scale for key, value in common.items()}
                result[(a, b)] = (sum(parts.values()), parts)
    return result


def term_index(documents):
    """{city: {term: [notes holding it]}}, to find the notes behind a shared term at once."""
    index = {}
    for city, entries in documents.items():
        found = index[city] = defaultdict(list)
        for note, _, terms in entries:
            for key in terms:
                found[key].append(note)
    return index


def shared_terms(parts, shown, index, pair):
    """The terms behind a pair's score, strongest first, with the notes carrying them.

    A word already shown inside a phrase ("waste" in "food waste") is not listed again.
    """
    listed, covered = [], set()
    for key in sorted(parts, key=lambda k: (-parts[k], k)):
        if len(listed) == MAX_SHARED:
            break
        if " " not in key and key in covered:
            continue
        covered.update(key.split(" "))
        # Up to MAX_NOTES_PER_TERM notes, both cities shown: half each, then whatever is left.
        per_city = [[{"id": note["id"], "city": city, "text": note["text"]}
                     for note in index[city].get(key, ())[:MAX_NOTES_PER_TERM]] for city in pair]
        half = MAX_NOTES_PER_TERM // 2
        notes = per_city[0][:half] + per_city[1][:half]
        notes += (per_city[0][half:] + per_city[1][half:])[:MAX_NOTES_PER_TERM - len(notes)]
        order = {city: position for position, city in enumerate(pair)}
        notes.sort(key=lambda note: order[note["city"]])
        listed.append({"term": shown[key], "notes": notes})
    return listed


def pairing(notes, cities):
    """The pairing answer: pairs by score with their shared terms, a suggestion and clusters."""
    documents = city_documents(notes, cities)
    vecs, shown = vectors(documents)
    found = scores(vecs)
    index = term_index(documents)
    pairs = []
    for (a, b), (score, parts) in found.items():
        pairs.append({"cities": [a, b], "score": round(score, 4),
                      "shared": shared_terms(parts, shown, index, (a, b))})
    order = {city: index for index, city in enumerate(cities)}
    pairs.sort(key=lambda p: (-p["score"], order[p["cities"][0]], order[p["cities"][1]]))
    matrix = [[0.0] * len(cities) for _ in cities]
    for (a, b), (score, _) in found.items():
        matrix[order[a]][order[b]] = matrix[order[b]][order[a]] = score
    groups = make_suggestion(matrix)
    return {
        "pairs": pairs,
        "suggestion": [[cities[i] for i in group] for group in groups],
        "clusters": [[cities[i] for i in group] for group in make_clusters(matrix)],
        "notes_by_city": {city: len(documents[city]) for city in cities},
    }
