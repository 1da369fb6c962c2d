"""Whether a matched passage is negated or hypothetical, in Danish, Swedish and Norwegian."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from qualcode.suggest.tokens import Tokens

NEGATIONS = frozenset(
    {
        "ikke",
        "ikk",
        "ik",
        "ikkje",
        "inte",
        "int",
        "ej",
        "icke",
        "aldrig",
        "aldri",
        "ingen",
        "intet",
        "inget",
        "inga",
        "ingenting",
        "hverken",
        "varken",
        "verken",
        "korkje",
        "næppe",
        "knappast",
        "neppe",
        "nej",
        "nei",
        "nope",
    }
)
# "ikke bare", "inte bara", "ikke sant" are not negations of what follows.
_NOT_NEGATING_NEXT = frozenset({"bare", "bara", "berre", "kun", "blot", "sant", "også"})
# "ikke fordi", "inte för att": the rest of the sentence is what is denied.
_DENYING_CAUSE = frozenset(
    {"fordi", "för", "for", "at", "att", "sådan", "sånn", "slik", "så", "som", "likt"}
)
CONDITIONALS = frozenset({"hvis", "dersom", "om", "ifall", "viss", "såfremt", "såframt"})
# "Would have": Danish and Norwegian `ville have / ville ha(tt)`, Swedish `skulle ha(ft)`.
# Not Danish or Norwegian `skulle have` / `kunne have`, which mostly voice a real need
# ("vi skulle have lidt hjælp"), nor Swedish `ville ha`, which means "wanted".
_COUNTERFACTUAL = {
    "sv": (frozenset({"skulle"}), frozenset({"ha", "haft"})),
    "default": (frozenset({"ville", "vilde"}), frozenset({"have", "ha", "haft", "hatt", "havt"})),
}

# "skulle vilja ha", "ville gerne have": a wish voices a real need, it is no counterfactual.
_WISHING = frozenset({"vilja", "önska", "gärna", "gerne", "gjerne", "ønske", "ynskje"})

NEGATION_BEFORE = 4
NEGATION_AFTER = 2


def is_negated(
    tokens: Tokens, first: int, last: int, term_words: frozenset[str] = frozenset()
) -> bool:
    """A negation in the same clause shortly before the match, or right after its verb
    (Scandinavian word order puts `ikke` after the finite verb: "jeg tør ikke")."""
    words, clauses, sentences = tokens.lower, tokens.clause, tokens.sentence
    clause = clauses[first]
    sentence = sentences[first]
    for index in range(max(0, first - NEGATION_BEFORE), min(len(words), last + 1 + NEGATION_AFTER)):
        word = words[index]
        if clauses[index] != clause or word not in NEGATIONS:
            continue
        following = words[index + 1] if index + 1 < len(words) else ""
        if following in _NOT_NEGATING_NEXT:
            continue
        if first <= index <= last and word in term_words:
            continue  # the negation is part of the term itself ("ikke hørt" as a term)
        return True
    # "Det er ikke fordi jeg er utryg": a denied cause earlier in the sentence.
    for index in range(first - 1, -1, -1):
        if sentences[index] != sentence:
            break
        denies_cause = index + 1 < first and words[index + 1] in _DENYING_CAUSE
        if words[index] in NEGATIONS and denies_cause:
            return True
    return False


def is_hypothetical(tokens: Tokens, first: int, language: str = "da") -> bool:
    """The match sits in a sentence that opens with a condition ("hvis de havde lyttet,
    så ...") or in a clause with a counterfactual modal ("så ville jeg have turdet")."""
    words, clauses, sentences = tokens.lower, tokens.clause, tokens.sentence
    # Sentence and clause numbers only grow along the words: each is one stretch of them.
    start = bisect_left(sentences, sentences[first], 0, first)
    opening = words[start : start + 3]
    if any(word in CONDITIONALS for word in opening[:2]):
        # "om" opening a sentence is "if"; later in a clause it is mostly "about".
        return True
    clause = clauses[first]
    clause_words = words[bisect_left(clauses, clause, 0, first) : bisect_right(clauses, clause)]
    if clause_words and clause_words[0] in CONDITIONALS - {"om"}:
        return True
    modals, perfect = _COUNTERFACTUAL.get(language, _COUNTERFACTUAL["default"])
    for index, word in enumerate(clause_words):
        following = clause_words[index + 1 : index + 4]
        wish = _WISHING.intersection(following[:2])
        if word in modals and any(w in perfect for w in following) and not wish:
            return True
    return False


# What an interview's "magic wand" question asks for is a wish, and an answer to it voices
# wishes, plans and advice, which a coder leaves uncoded: "Hvis du selv kunne bestemme, hvad
# skulle der så ske?", "Om du fick önska, hur skulle det se ut?", "Kva ønskjer du deg?"
_WISH_STEMS = ("ønsk", "önsk", "ynsk", "tryllestav", "trollstav")
_WISH_MODALS = frozenset(
    {"kunne", "kunde", "kunna", "skulle", "fik", "fikk", "fick", "fekk", "måtte"}
)
_DECIDE_STEMS = ("bestem", "bestäm", "endr", "ændr", "ändr", "forandr", "förändr")


def asks_for_a_wish(question: Tokens) -> bool:
    """The last sentence of an interviewer's turn asks what the participant would wish,
    decide or change."""
    words, sentences = question.lower, question.sentence
    if not words:
        return False
    last = words[bisect_left(sentences, sentences[-1]) :]
    if any(word.startswith(_WISH_STEMS) for word in last):
        return True
    for index, word in enumerate(last):
        if word in CONDITIONALS:
            rest = last[index + 1 : index + 8]
            if any(w in _WISH_MODALS for w in rest) and any(
                w.startswith(_DECIDE_STEMS) for w in rest
            ):
                return True
    return False
