"""What a product search asks for and what it finds: typed data between the actions and the store."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Optional, Tuple

from bot.store.product_kinds import ProductKind
from bot.store.records import ProductView


@dataclass(frozen=True)
class ProductQuery:
    """Every part is optional; the parts given must all hold.

    `feature` holds alternative wordings of one feature as the catalog writes it ("32 gb", "waterproof");
    a product has it when any of them is among its features. `like_sku` asks for products of the same kind
    as that product, and `cheaper_than_like` for those below its price.
    """

    kind: Optional[ProductKind] = None
    min_price: Optional[Decimal] = None
    max_price: Optional[Decimal] = None
    feature: Tuple[str, ...] = ()
    like_sku: Optional[str] = None
    cheaper_than_like: bool = False

    @property
    def asks_anything(self) -> bool:
        return bool(self.kind or self.min_price is not None or self.max_price is not None or self.feature) or bool(
            self.like_sku
        )


@dataclass(frozen=True)
class ProductMatch:
    product: ProductView
    # The feature asked for, as the catalog writes it; the product's first feature when none was asked for.
    matching_feature: str


@dataclass(frozen=True)
class ProductSearchResult:
    """Up to the limit of matches, best first; when there are none, the closest product, if any."""

    matches: Tuple[ProductMatch, ...]
    closest: Optional[ProductMatch] = None
