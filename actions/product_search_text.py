"""Reads a product search out of what a shopper wrote: the kind, a feature, price limits, "like X but cheaper"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple, TypeVar

from actions.product_search_words import (
    BETWEEN_WORDS,
    CHEAPER_WORDS,
    CURRENCY_WORDS,
    FEATURE_WORDS,
    FOR_WORDS,
    KIND_WORDS,
    LIKE_WORDS,
    MAX_PRICE_AFTER_WORDS,
    MAX_PRICE_WORDS,
    MIN_PRICE_WORDS,
    NEGATIONS,
    RANGE_JOINERS,
    UNITS,
)
from bot.store.catalog import CURRENCY
from bot.store.identifiers import ORDER_NUMBER_IN_TEXT
from bot.store.product_kinds import ProductKind, skus_of
from bot.store.product_query import ProductQuery

MAX_TEXT_READ = 500
LONGEST_PHRASE = 4
# Typos in kind words ("hedphones", "auriculars"): close enough, and long enough to tell apart.
MIN_FUZZY_LENGTH = 5
MIN_FUZZY_SIMILARITY = 0.85
# Numbers with separators only between digits ("1.299,50"): no two ways to read a run, so linear work.
_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+(?:'[^\W\d_]+)*|[€$£<-]")
_THOUSANDS_SPACES = frozenset(" \u00a0\u202f")
_SINGLE_KIND_WORDS = {word: kind for word, kind in KIND_WORDS.items() if " " not in word}
T = TypeVar("T")


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int

    @property
    def is_number(self) -> bool:
        return self.text[0].isdigit()


@dataclass(frozen=True)
class ReadSearch:
    query: ProductQuery
    # An amount the shopper wrote in another currency than the shop's ("$400" -> "400"), searched as euros.
    foreign_amount: Optional[str] = None

    @property
    def has_price_limit(self) -> bool:
        return self.query.min_price is not None or self.query.max_price is not None


def amount_of(written: str) -> Optional[Decimal]:
    """`100`, `100,50`, `100.50`, `1.299`, `1,299.00`, `1.299,50` -> the amount; a run of three digits after a
    separator groups thousands, one or two at the end are cents, whichever separator the language uses."""
    groups = re.split(r"[.,]", written)
    cents = ""
    if len(groups) > 1 and len(groups[-1]) <= 2:
        cents = groups.pop()
    if any(len(group) != 3 for group in groups[1:]) or (len(groups) > 1 and len(groups[0]) > 3):
        return None
    try:
        return Decimal("".join(groups) + (f".{cents}" if cents else ""))
    except InvalidOperation:
        return None


def _tokens(text: str) -> List[_Token]:
    tokens: List[_Token] = []
    for match in _TOKEN.finditer(text):
        token = _Token(match.group(0), match.start(), match.end())
        previous = tokens[-1] if tokens else None
        # "1 000" and "1\u00a0000": French and German group thousands with a space.
        if (
            previous is not None
            and previous.text.isdigit()
            and len(previous.text) <= 3
            and token.text.isdigit()
            and len(token.text) == 3
            and token.start == previous.end + 1
            and text[previous.end] in _THOUSANDS_SPACES
        ):
            tokens[-1] = _Token(previous.text + token.text, previous.start, token.end)
            continue
        tokens.append(token)
    return tokens


def _phrase_at(words: Sequence[str], index: int, vocabulary: Dict[str, T] | FrozenSet[str]) -> Tuple[int, str]:
    """The longest phrase of `vocabulary` starting at `index`, as (number of words, phrase); (0, "") if none."""
    for width in range(min(LONGEST_PHRASE, len(words) - index), 0, -1):
        phrase = " ".join(words[index : index + width])
        if phrase in vocabulary:
            return width, phrase
    return 0, ""


def _phrase_ending_at(words: Sequence[str], end: int, vocabulary: FrozenSet[str]) -> int:
    """How many words before `end` form the longest phrase of `vocabulary`; 0 if none."""
    for width in range(min(LONGEST_PHRASE, end), 0, -1):
        if " ".join(words[end - width : end]) in vocabulary:
            return width
    return 0


def _fuzzy_kind(word: str) -> Optional[ProductKind]:
    if len(word) < MIN_FUZZY_LENGTH:
        return None
    for known, kind in _SINGLE_KIND_WORDS.items():
        if len(known) < MIN_FUZZY_LENGTH or abs(len(known) - len(word)) > 2:
            continue
        # Two swapped letters ("lapotp") score low as a ratio but are the commonest typo.
        if sorted(known) == sorted(word) or SequenceMatcher(None, word, known).ratio() >= MIN_FUZZY_SIMILARITY:
            return kind
    return None


@dataclass
class _Wording:
    kind: Optional[ProductKind] = None
    feature: Tuple[str, ...] = ()
    like: bool = False
    cheaper: bool = False


def _read_words(words: Sequence[str]) -> _Wording:
    found = _Wording()
    index = 0
    while index < len(words):
        width, phrase = _phrase_at(words, index, KIND_WORDS)
        kind = KIND_WORDS[phrase] if width else None if found.kind else _fuzzy_kind(words[index])
        if kind is not None and (found.kind is None or len(skus_of(kind)) < len(skus_of(found.kind))):
            # "gaming keyboard": the narrower kind is what the shopper means.
            found.kind = kind
        feature_width, feature = _phrase_at(words, index, FEATURE_WORDS)
        if feature_width and not found.feature:
            found.feature = FEATURE_WORDS[feature]
        found.like = found.like or bool(_phrase_at(words, index, LIKE_WORDS)[0])
        found.cheaper = found.cheaper or bool(_phrase_at(words, index, CHEAPER_WORDS)[0])
        index += max(width, feature_width, 1)
    return found


@dataclass
class _Prices:
    min_price: Optional[Decimal] = None
    max_price: Optional[Decimal] = None
    foreign_amount: Optional[str] = None
    sized_feature: Optional[str] = None


def _currency_around(tokens: Sequence[_Token], index: int) -> Tuple[Optional[str], int, int]:
    """The currency written just before or after the number at `index`, and where the amount's words begin and end."""
    before = CURRENCY_WORDS.get(tokens[index - 1].text) if index > 0 else None
    after = CURRENCY_WORDS.get(tokens[index + 1].text) if index + 1 < len(tokens) else None
    start = index - 1 if before else index
    end = index + 2 if after else index + 1
    return before or after, start, end


def _read_prices(text: str, tokens: Sequence[_Token]) -> _Prices:
    found = _Prices()
    words = [token.text for token in tokens]
    index = 0
    while index < len(tokens):
        token = tokens[index]
        amount = amount_of(token.text) if token.is_number else None
        glued_before = token.start > 0 and text[token.start - 1].isalpha()
        if amount is None or glued_before:
            index += 1
            continue
        currency, start, end = _currency_around(tokens, index)
        between = _phrase_ending_at(words, start, BETWEEN_WORDS)
        if end + 1 < len(tokens) and words[end] in RANGE_JOINERS and (between or currency or words[end] == "-"):
            second, second_end = _second_amount(tokens, end + 1)
            if second is not None and amount is not None and second > amount:
                found.min_price, found.max_price = amount, second
                currency = currency or _currency_around(tokens, end + 1 if tokens[end + 1].is_number else end + 2)[0]
                _note_currency(found, currency, token.text)
                index = second_end
                continue
        unit = UNITS.get(words[index + 1]) if index + 1 < len(words) else None
        if unit is not None:
            found.sized_feature = found.sized_feature or f"{token.text} {unit}"
            index += 2
            continue
        ceiling = _phrase_ending_at(words, start, MAX_PRICE_WORDS)
        floor = _phrase_ending_at(words, start, MIN_PRICE_WORDS)
        after = _phrase_at(words, end, MAX_PRICE_AFTER_WORDS)[0] if end < len(words) else 0
        if floor and not ceiling:
            negated = any(word in NEGATIONS for word in words[max(0, start - floor - 3) : start - floor])
            if negated:
                found.max_price = amount
            else:
                found.min_price = amount
        elif ceiling or after or currency or _phrase_ending_at(words, start, FOR_WORDS):
            found.max_price = amount
        else:
            index = end
            continue
        _note_currency(found, currency, token.text)
        index = end
    return found


def _second_amount(tokens: Sequence[_Token], index: int) -> Tuple[Optional[Decimal], int]:
    if index < len(tokens) and CURRENCY_WORDS.get(tokens[index].text):
        index += 1
    if index >= len(tokens) or not tokens[index].is_number:
        return None, index
    return amount_of(tokens[index].text), index + 1


def _note_currency(found: _Prices, currency: Optional[str], written: str) -> None:
    if currency is not None and currency != CURRENCY:
        found.foreign_amount = written


def read_product_search(
    text: str, named_sku: Optional[str] = None, named_span: Optional[Tuple[int, int]] = None
) -> ReadSearch:
    """What a shopper asks for in `text`; `named_sku` is a product they named (at `named_span`), which becomes
    the reference of "like X" or "cheaper than X" when they say so."""
    text = ORDER_NUMBER_IN_TEXT.sub(lambda match: " " * len(match.group(0)), text[:MAX_TEXT_READ])
    text = text.replace("\u2019", "'").lower()
    wording = _read_words([token.text for token in _tokens(text) if not token.is_number])
    refers = named_sku is not None and (wording.like or wording.cheaper)
    if refers and named_span is not None:
        start, end = named_span
        text = text[:start] + " " * max(0, end - start) + text[end:]
    prices = _read_prices(text, _tokens(text))
    sized = (prices.sized_feature,) if prices.sized_feature else ()
    query = ProductQuery(
        kind=wording.kind,
        min_price=prices.min_price,
        max_price=prices.max_price,
        feature=sized or wording.feature,
        like_sku=named_sku if refers else None,
        cheaper_than_like=refers and wording.cheaper,
    )
    return ReadSearch(query=query, foreign_amount=prices.foreign_amount)
