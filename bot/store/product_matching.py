"""Tolerant product lookup: exact names and aliases first, then fuzzy matching that survives typos and word order."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

MAX_QUERY_LENGTH = 200
# Below this a guess is more likely wrong than helpful; tuned on the misspellings in the tests.
MIN_SCORE = 0.83
_FILLER_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "my",
        "your",
        "i",
        "me",
        "we",
        "do",
        "does",
        "you",
        "have",
        "has",
        "is",
        "are",
        "any",
        "some",
        "of",
        "for",
        "about",
        "with",
        "please",
        "pls",
        "want",
        "need",
        "buy",
        "get",
        "order",
        "ordered",
        "info",
        "information",
        "tell",
        "on",
        "in",
        "stock",
        "price",
    ]
)
_NON_WORD = re.compile(r"[^0-9a-z+]+")
_DIGIT_RUN = re.compile(r"[0-9]+")


def normalise_product_text(text: str) -> str:
    """Lower case, punctuation to spaces (keeping `+` for `p10+`), runs of spaces collapsed."""
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


@dataclass(frozen=True)
class _Candidate:
    sku: str
    text: str
    tokens: Tuple[str, ...]
    digits: Tuple[str, ...]


@lru_cache(maxsize=65536)
def _token_similarity(left: str, right: str) -> float:
    # Cached: the same few hundred catalog words meet the same customer words over and over.
    if left == right:
        return 1.0
    # Numbers are model identifiers: "13" and "15" are different laptops, not a typo of each other.
    if left.isdigit() or right.isdigit():
        return 0.0
    return SequenceMatcher(None, left, right).ratio()


def _whole_similarity(text: str, candidate: str, to_beat: float) -> float:
    matcher = SequenceMatcher(None, text, candidate)
    # quick_ratio is a cheap upper bound: skip the full comparison when it cannot win anyway.
    if matcher.quick_ratio() <= to_beat:
        return 0.0
    return matcher.ratio()


def _coverage(source: Sequence[str], target: Sequence[str]) -> float:
    total = sum(max(_token_similarity(token, other) for other in target) for token in source)
    return total / len(source)


def _contains_run(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    width = len(needle)
    return any(tuple(haystack[start : start + width]) == tuple(needle) for start in range(len(haystack) - width + 1))


def _score(text: str, tokens: Tuple[str, ...], digits: Tuple[str, ...], candidate: _Candidate, to_beat: float) -> float:
    forward = _coverage(tokens, candidate.tokens)
    backward = _coverage(candidate.tokens, tokens)
    # Harmonic mean: a generic word ("phone") covers little of a candidate and must not win on its own.
    score = 0.0 if forward + backward == 0 else 2 * forward * backward / (forward + backward)
    if digits == candidate.digits:
        # Whole-string similarity catches run-together words ("powerbank20k") the tokens miss.
        score = max(score, _whole_similarity(text, candidate.text, max(score, to_beat)))
    if _contains_run(tokens, candidate.tokens):
        score = max(score, 0.8 + 0.04 * min(len(candidate.tokens), 4))
    return score


class ProductMatcher:
    """Finds the SKU a customer most likely means among product names and aliases."""

    def __init__(self, names: Iterable[Tuple[str, str]]) -> None:
        """`names` are (sku, name or alias) pairs; one SKU may appear many times."""
        self._candidates: List[_Candidate] = []
        self._exact: Dict[str, str] = {}
        self._skus: Dict[str, str] = {}
        for sku, name in names:
            text = normalise_product_text(name)
            if not text:
                continue
            self._candidates.append(_Candidate(sku, text, tuple(text.split()), tuple(_DIGIT_RUN.findall(text))))
            self._exact.setdefault(text, sku)
            self._skus[sku.casefold()] = sku

    def match(self, query: Optional[str]) -> Optional[str]:
        if not isinstance(query, str) or not query or len(query) > MAX_QUERY_LENGTH:
            return None
        sku = self._skus.get(query.strip().casefold())
        if sku is not None:
            return sku
        tokens = tuple(token for token in normalise_product_text(query).split() if token not in _FILLER_WORDS)
        if not tokens:
            return None
        text = " ".join(tokens)
        exact = self._exact.get(text)
        if exact is not None:
            return exact
        digits = tuple(_DIGIT_RUN.findall(text))
        best_sku, best_score = None, 0.0
        for candidate in self._candidates:
            score = _score(text, tokens, digits, candidate, max(best_score, MIN_SCORE))
            if score > best_score:
                best_sku, best_score = candidate.sku, score
        return best_sku if best_score >= MIN_SCORE else None
