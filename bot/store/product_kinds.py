"""Kinds of product a shopper asks for ("headphones", "laptops"): catalog categories, some split finer."""

from __future__ import annotations

from enum import Enum
from typing import Dict, FrozenSet, Optional

from bot.store.catalog import PRODUCTS, Category


class ProductKind(str, Enum):
    HEADPHONES = "headphones"
    EARBUDS = "earbuds"
    SPEAKERS = "speakers"
    AUDIO = "audio"
    PHONES = "phones"
    TABLETS = "tablets"
    LAPTOPS = "laptops"
    WATCHES = "watches"
    FITNESS_TRACKERS = "fitness trackers"
    WEARABLES = "wearables"
    CAMERAS = "cameras"
    WEBCAMS = "webcams"
    GAMING = "gaming"
    KEYBOARDS = "keyboards"
    MICE = "mice"
    CONTROLLERS = "controllers"
    KITCHEN = "kitchen"
    COFFEE_MAKERS = "coffee makers"
    HOME_CARE = "home care"
    VACUUMS = "vacuums"
    SMART_HOME = "smart home"
    LIGHTS = "lights"
    CHARGING = "charging"
    CHARGERS = "chargers"
    POWER_BANKS = "power banks"
    CABLES = "cables"
    CASES = "cases"
    COMPUTER_ACCESSORIES = "computer accessories"
    DOCKS = "docks"
    MICROPHONES = "microphones"
    MONITORS = "monitors"
    STORAGE = "storage"
    SSDS = "ssds"
    BAGS = "bags"


# Kinds that are a whole catalog category.
_CATEGORY_OF_KIND: Dict[ProductKind, Category] = {
    ProductKind.AUDIO: Category.AUDIO,
    ProductKind.PHONES: Category.PHONES,
    ProductKind.TABLETS: Category.TABLETS,
    ProductKind.LAPTOPS: Category.LAPTOPS,
    ProductKind.WEARABLES: Category.WEARABLES,
    ProductKind.CAMERAS: Category.CAMERAS,
    ProductKind.GAMING: Category.GAMING,
    ProductKind.KITCHEN: Category.KITCHEN,
    ProductKind.HOME_CARE: Category.HOME_CARE,
    ProductKind.SMART_HOME: Category.SMART_HOME,
    ProductKind.CHARGING: Category.CHARGING,
    ProductKind.CABLES: Category.CABLES,
    ProductKind.CASES: Category.CASES,
    ProductKind.COMPUTER_ACCESSORIES: Category.COMPUTER_ACCESSORIES,
    ProductKind.MONITORS: Category.MONITORS,
    ProductKind.STORAGE: Category.STORAGE,
    ProductKind.BAGS: Category.BAGS,
}
# Kinds finer than a category, or across two (a gaming headset is headphones too).
_SKUS_OF_KIND: Dict[ProductKind, FrozenSet[str]] = {
    ProductKind.HEADPHONES: frozenset({"AUD-X200", "AUD-X300P", "AUD-BMINI", "AUD-BPRO", "GAM-G5"}),
    ProductKind.EARBUDS: frozenset({"AUD-BMINI", "AUD-BPRO"}),
    ProductKind.SPEAKERS: frozenset({"AUD-S1", "AUD-S2", "AUD-SMAX", "AUD-SB500"}),
    ProductKind.WATCHES: frozenset({"WRB-PW2", "WRB-PW3"}),
    ProductKind.FITNESS_TRACKERS: frozenset({"WRB-FIT", "WRB-RING", "WRB-PW2", "WRB-PW3"}),
    ProductKind.WEBCAMS: frozenset({"PER-WEBCAM"}),
    ProductKind.KEYBOARDS: frozenset({"GAM-K7"}),
    ProductKind.MICE: frozenset({"GAM-M3"}),
    ProductKind.CONTROLLERS: frozenset({"GAM-PAD"}),
    ProductKind.COFFEE_MAKERS: frozenset({"HOM-COFFEE"}),
    ProductKind.VACUUMS: frozenset({"HOM-VACUUM"}),
    ProductKind.LIGHTS: frozenset({"SMH-BULB", "SMH-STRIP"}),
    ProductKind.CHARGERS: frozenset({"PWR-20W", "PWR-65W"}),
    ProductKind.POWER_BANKS: frozenset({"PWR-PB10K", "PWR-PB20K"}),
    ProductKind.DOCKS: frozenset({"PER-DOCKPRO", "PER-DOCKMINI"}),
    ProductKind.MICROPHONES: frozenset({"PER-MIC"}),
    ProductKind.SSDS: frozenset({"STO-SSD1T", "STO-SSD2T"}),
}


def skus_of(kind: ProductKind) -> FrozenSet[str]:
    category = _CATEGORY_OF_KIND.get(kind)
    if category is not None:
        return frozenset(product.sku for product in PRODUCTS if product.category is category)
    return _SKUS_OF_KIND[kind]


def narrowest_kind_of(sku: str) -> Optional[ProductKind]:
    """The kind with the fewest products, beyond the product alone, that `sku` is one of: what "like X" means."""
    kinds = [kind for kind in ProductKind if sku in skus_of(kind) and len(skus_of(kind)) > 1]
    return min(kinds, key=lambda kind: len(skus_of(kind)), default=None)
