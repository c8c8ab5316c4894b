"""Product search by kind, feature and price over the store's products, best matches first."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import FrozenSet, List, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.store import row_mapping
from bot.store.money import to_cents
from bot.store.product_kinds import narrowest_kind_of, skus_of
from bot.store.product_query import ProductMatch, ProductQuery, ProductSearchResult
from bot.store.records import ProductView
from bot.store.tables import products
from bot.store.transactions import reading

MAX_MATCHES = 3
_WORD = re.compile(r"[0-9]+|[a-z]+")


def feature_words(text: str) -> str:
    """`"32GB memory"` -> `"32 gb memory"`: lower case, digits apart from letters, punctuation dropped."""
    return " ".join(_WORD.findall(text.casefold()))


def _has_run(text: str, phrase: str) -> bool:
    return f" {phrase} " in f" {text} "


def matching_feature(product: ProductView, wanted: Sequence[str]) -> Optional[str]:
    """The product's first feature that has one of the `wanted` wordings; with none wanted, its first feature."""
    if not wanted:
        return product.features[0] if product.features else ""
    phrases = [feature_words(phrase) for phrase in wanted if feature_words(phrase)]
    for feature in product.features:
        if any(_has_run(feature_words(feature), phrase) for phrase in phrases):
            return feature
    return None


class ProductSearch:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def search(self, query: ProductQuery, limit: int = MAX_MATCHES) -> ProductSearchResult:
        candidates = self._candidates(query)
        like = self._like_product(query)
        if query.like_sku is not None and like is None:
            return ProductSearchResult(matches=())
        if like is not None:
            candidates = [product for product in candidates if product.sku != like.sku]
        upper = like.price if like is not None and query.cheaper_than_like else None

        def in_price(product: ProductView) -> bool:
            if query.min_price is not None and product.price < query.min_price:
                return False
            if query.max_price is not None and product.price > query.max_price:
                return False
            return upper is None or product.price < upper

        with_feature = [
            ProductMatch(product, feature)
            for product in candidates
            if (feature := matching_feature(product, query.feature)) is not None
        ]
        matches = [match for match in with_feature if in_price(match.product)]
        has_ceiling = query.max_price is not None or upper is not None
        if matches:
            return ProductSearchResult(matches=tuple(_best_first(matches, has_ceiling)[: max(limit, 0)]))
        return ProductSearchResult(matches=(), closest=self._closest(query, with_feature, candidates, upper))

    def _candidates(self, query: ProductQuery) -> List[ProductView]:
        skus = self._kind_skus(query)
        statement = select(products)
        if skus is not None:
            statement = statement.where(products.c.sku.in_(sorted(skus)))
        # All of the kind's products, whatever their price: when none is within it, the closest is among them.
        with reading(self._engine) as connection:
            rows = connection.execute(statement.order_by(products.c.price_cents, products.c.sku)).all()
        return [row_mapping.product_view(row) for row in rows]

    def _kind_skus(self, query: ProductQuery) -> Optional[FrozenSet[str]]:
        if query.kind is not None:
            return skus_of(query.kind)
        if query.like_sku is not None:
            kind = narrowest_kind_of(query.like_sku.strip().upper())
            return skus_of(kind) if kind is not None else frozenset({query.like_sku.strip().upper()})
        return None

    def _like_product(self, query: ProductQuery) -> Optional[ProductView]:
        if query.like_sku is None:
            return None
        sku = query.like_sku.strip().upper()[:32]
        with reading(self._engine) as connection:
            row = connection.execute(select(products).where(products.c.sku == sku)).first()
        return None if row is None else row_mapping.product_view(row)

    @staticmethod
    def _closest(
        query: ProductQuery,
        with_feature: List[ProductMatch],
        candidates: List[ProductView],
        upper: Optional[Decimal],
    ) -> Optional[ProductMatch]:
        """Nearest in price among those with the feature; else, with the feature given up, within the price."""
        if with_feature:
            target = _price_asked(query, upper)
            return min(with_feature, key=lambda match: (abs(match.product.price - target), not match.product.in_stock))
        within = [
            product
            for product in candidates
            if (query.min_price is None or product.price >= query.min_price)
            and (query.max_price is None or product.price <= query.max_price)
            and (upper is None or product.price < upper)
        ]
        if not query.feature or not within:
            return None
        best = _best_first([ProductMatch(product, matching_feature(product, ()) or "") for product in within], True)
        return best[0]


def _price_asked(query: ProductQuery, upper: Optional[Decimal]) -> Decimal:
    bounds = [bound for bound in (query.max_price, upper, query.min_price) if bound is not None]
    return bounds[0] if bounds else Decimal(0)


def _best_first(matches: List[ProductMatch], has_ceiling: bool) -> List[ProductMatch]:
    """In stock first; under a ceiling the dearest first (the most the budget buys), else the cheapest first."""
    sign = -1 if has_ceiling else 1
    return sorted(
        matches, key=lambda match: (not match.product.in_stock, sign * to_cents(match.product.price), match.product.sku)
    )
