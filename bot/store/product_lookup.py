"""Product queries: tolerant lookup by what a customer typed, by SKU, and cross-sell suggestions."""

from __future__ import annotations

from typing import List, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.store import row_mapping
from bot.store.catalog import product_by_sku
from bot.store.identifiers import is_storable_text
from bot.store.product_matching import ProductMatcher
from bot.store.records import ProductView
from bot.store.tables import products
from bot.store.transactions import reading


class ProductLookup:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._matcher: Optional[ProductMatcher] = None

    def find(self, query: Optional[str]) -> Optional[ProductView]:
        sku = self._product_matcher().match(query)
        return None if sku is None else self.by_sku(sku)

    def by_sku(self, sku: Optional[str]) -> Optional[ProductView]:
        if not isinstance(sku, str) or not sku or not is_storable_text(sku):
            return None
        with reading(self._engine) as connection:
            row = connection.execute(select(products).where(products.c.sku == sku.strip().upper()[:32])).first()
        return None if row is None else row_mapping.product_view(row)

    def related(self, sku: Optional[str], limit: int) -> List[ProductView]:
        """Cross-sell suggestions from the catalog, those in stock first."""
        entry = product_by_sku(sku) if sku else None
        if entry is None or limit <= 0:
            return []
        with reading(self._engine) as connection:
            rows = connection.execute(select(products).where(products.c.sku.in_(entry.related_skus))).all()
        by_sku = {row.sku: row_mapping.product_view(row) for row in rows}
        related = [by_sku[related_sku] for related_sku in entry.related_skus if related_sku in by_sku]
        related.sort(key=lambda product: not product.in_stock)
        return related[:limit]

    def _product_matcher(self) -> ProductMatcher:
        if self._matcher is not None:
            return self._matcher
        with reading(self._engine) as connection:
            rows = connection.execute(select(products.c.sku, products.c.name)).all()
        names: List[Tuple[str, str]] = []
        for row in rows:
            entry = product_by_sku(row.sku)
            aliases = entry.names() if entry else ()
            names += [(row.sku, name) for name in (row.name,) + aliases]
        matcher = ProductMatcher(names)
        # Kept once products exist: the catalog does not change while the action server runs.
        if names:
            self._matcher = matcher
        return matcher
