"""The product catalog: the single source the store, the NLU lookup table and the entity ruler are built from."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Dict, Iterator, Optional, Tuple

CURRENCY = "EUR"


class Category(str, Enum):
    AUDIO = "audio"
    PHONES = "phones"
    TABLETS = "tablets"
    LAPTOPS = "laptops"
    WEARABLES = "wearables"
    CAMERAS = "cameras"
    GAMING = "gaming"
    KITCHEN = "kitchen"
    HOME_CARE = "home care"
    SMART_HOME = "smart home"
    CHARGING = "charging"
    CABLES = "cables"
    CASES = "cases and protection"
    COMPUTER_ACCESSORIES = "computer accessories"
    MONITORS = "monitors"
    STORAGE = "storage"
    BAGS = "bags"


@dataclass(frozen=True)
class CatalogProduct:
    """A product as sold; stock levels live in the store, not here."""

    sku: str
    name: str
    category: Category
    price: Decimal
    features: Tuple[str, ...]
    related_skus: Tuple[str, ...]
    aliases: Tuple[str, ...]
    currency: str = CURRENCY

    def names(self) -> Tuple[str, ...]:
        """The full name followed by every alias, all lower case: what a customer might type."""
        return tuple(dict.fromkeys((self.name.lower(),) + self.aliases))


def _product(
    sku: str,
    name: str,
    category: Category,
    price: str,
    features: Tuple[str, ...],
    related: Tuple[str, ...],
    aliases: Tuple[str, ...],
) -> CatalogProduct:
    return CatalogProduct(
        sku=sku,
        name=name,
        category=category,
        price=Decimal(price),
        features=features,
        related_skus=related,
        aliases=tuple(alias.lower() for alias in aliases),
    )


C = Category
PRODUCTS: Tuple[CatalogProduct, ...] = (
    # audio
    _product(
        "AUD-X200",
        "Aria X200 Headphones",
        C.AUDIO,
        "149.00",
        ("active noise cancelling", "30-hour battery", "foldable design"),
        ("PWR-20W", "AUD-BPRO"),
        ("x200", "aria x200", "x 200 headphones", "aria x 200", "x200 headphones", "aria headphones"),
    ),
    _product(
        "AUD-X300P",
        "Aria X300 Pro Headphones",
        C.AUDIO,
        "279.00",
        ("adaptive noise cancelling", "40-hour battery", "spatial audio", "multipoint bluetooth"),
        ("PWR-20W", "AUD-BPRO"),
        ("x300", "x300 pro", "aria x300", "aria x300 pro", "x 300 pro headphones", "x300 pro headphones"),
    ),
    _product(
        "AUD-BMINI",
        "Aria Buds Mini",
        C.AUDIO,
        "59.00",
        ("true wireless", "8-hour battery", "splash resistant"),
        ("PWR-20W", "CBL-USBC"),
        ("buds mini", "aria mini", "mini buds", "aria buds mini earbuds"),
    ),
    _product(
        "AUD-BPRO",
        "Aria Buds Pro",
        C.AUDIO,
        "169.00",
        ("active noise cancelling", "wireless charging case", "transparency mode"),
        ("PWR-20W", "AUD-X200"),
        ("buds pro", "aria pro buds", "aria buds pro earbuds", "pro buds"),
    ),
    _product(
        "AUD-S1",
        "Boom S1 Speaker",
        C.AUDIO,
        "49.00",
        ("pocket size", "12-hour battery", "waterproof"),
        ("AUD-S2", "CBL-USBC"),
        ("boom s1", "s1 speaker", "boom s 1"),
    ),
    _product(
        "AUD-S2",
        "Boom S2 Speaker",
        C.AUDIO,
        "89.00",
        ("360-degree sound", "20-hour battery", "waterproof", "stereo pairing"),
        ("AUD-S1", "PWR-20W"),
        ("boom s2", "s2 speaker", "boom s 2"),
    ),
    _product(
        "AUD-SMAX",
        "Boom Max Speaker",
        C.AUDIO,
        "199.00",
        ("party volume", "24-hour battery", "built-in power bank"),
        ("AUD-S2", "PWR-65W"),
        ("boom max", "max speaker", "boom max speaker"),
    ),
    _product(
        "AUD-SB500",
        "Studio Soundbar 500",
        C.AUDIO,
        "349.00",
        ("dolby atmos", "wireless subwoofer", "hdmi earc"),
        ("CBL-HDMI", "SMH-HUB"),
        ("soundbar", "soundbar 500", "studio 500", "studio soundbar"),
    ),
    # phones
    _product(
        "PHN-P10",
        "Vega P10 Phone",
        C.PHONES,
        "499.00",
        ("6.1-inch oled screen", "dual camera", "128 gb storage"),
        ("ACC-CASEP10", "PWR-20W"),
        ("vega p10", "p10", "p10 phone", "vega p 10"),
    ),
    _product(
        "PHN-P10PL",
        "Vega P10 Plus",
        C.PHONES,
        "649.00",
        ("6.7-inch oled screen", "triple camera", "256 gb storage", "two-day battery"),
        ("ACC-CASEP10", "PWR-20W"),
        ("p10 plus", "vega p10 plus", "p10+", "vega p10+", "p 10 plus"),
    ),
    _product(
        "PHN-P20P",
        "Vega P20 Pro",
        C.PHONES,
        "999.00",
        ("6.8-inch 120 hz display", "5x optical zoom", "512 gb storage", "satellite messaging"),
        ("ACC-CASEP20", "ACC-GUARDP20"),
        ("p20", "p20 pro", "vega p20", "vega p20 pro", "p 20 pro"),
    ),
    _product(
        "PHN-LITE",
        "Vega Lite Phone",
        C.PHONES,
        "249.00",
        ("6.4-inch lcd screen", "5000 mah battery", "dual sim"),
        ("PWR-20W", "CBL-USBC"),
        ("vega lite", "lite phone", "vega lite phone"),
    ),
    # tablets
    _product(
        "TAB-T8",
        "Tessera T8 Tablet",
        C.TABLETS,
        "229.00",
        ("8-inch screen", "kids profile", "12-hour battery"),
        ("ACC-SLVTAB", "PWR-20W"),
        ("tessera t8", "t8", "t8 tablet", "tessera t 8"),
    ),
    _product(
        "TAB-T11",
        "Tessera T11 Tablet",
        C.TABLETS,
        "429.00",
        ("11-inch 2k screen", "stylus support", "quad speakers"),
        ("ACC-SLVTAB", "PER-DOCKMINI"),
        ("tessera t11", "t11", "t11 tablet", "tessera t 11"),
    ),
    _product(
        "TAB-T11P",
        "Tessera T11 Pro",
        C.TABLETS,
        "649.00",
        ("11-inch 120 hz screen", "keyboard cover support", "256 gb storage"),
        ("ACC-SLVTAB", "PER-DOCKPRO"),
        ("t11 pro", "tessera t11 pro", "tessera pro", "t 11 pro"),
    ),
    # laptops
    _product(
        "LAP-O13",
        "Orbit 13 Laptop",
        C.LAPTOPS,
        "899.00",
        ("13.3-inch display", "16 gb memory", "1.1 kg"),
        ("ACC-SLVL15", "PER-DOCKMINI"),
        ("orbit 13", "orbit13", "orbit 13 inch"),
    ),
    _product(
        "LAP-O15",
        "Orbit 15 Laptop",
        C.LAPTOPS,
        "1099.00",
        ("15.6-inch display", "16 gb memory", "1 tb ssd"),
        ("ACC-SLVL15", "PER-STAND"),
        ("orbit 15", "orbit15", "orbit 15 inch"),
    ),
    _product(
        "LAP-O15P",
        "Orbit 15 Pro",
        C.LAPTOPS,
        "1699.00",
        ("15.6-inch oled display", "32 gb memory", "dedicated graphics", "2 tb ssd"),
        ("PER-DOCKPRO", "MON-V27"),
        ("orbit 15 pro", "orbit pro", "orbit15 pro"),
    ),
    _product(
        "LAP-AIR14",
        "Orbit Air 14",
        C.LAPTOPS,
        "1199.00",
        ("14-inch display", "fanless design", "18-hour battery"),
        ("PER-DOCKMINI", "ACC-SLVL15"),
        ("orbit air", "air 14", "orbit air 14 laptop"),
    ),
    # wearables
    _product(
        "WRB-PW2",
        "Pulse Watch 2",
        C.WEARABLES,
        "199.00",
        ("heart rate tracking", "built-in gps", "7-day battery"),
        ("WRB-FIT", "PWR-20W"),
        ("pulse watch 2", "pulse 2", "watch 2", "pulse watch two"),
    ),
    _product(
        "WRB-PW3",
        "Pulse Watch 3",
        C.WEARABLES,
        "299.00",
        ("ecg sensor", "always-on display", "contactless payments", "10-day battery"),
        ("WRB-RING", "PWR-20W"),
        ("pulse watch 3", "pulse 3", "watch 3", "pulse watch three"),
    ),
    _product(
        "WRB-FIT",
        "Pulse Band Fit",
        C.WEARABLES,
        "79.00",
        ("step and sleep tracking", "14-day battery", "swim proof"),
        ("WRB-PW2", "WRB-RING"),
        ("band fit", "pulse band", "pulse fit", "fitness band"),
    ),
    _product(
        "WRB-RING",
        "Pulse Ring",
        C.WEARABLES,
        "249.00",
        ("sleep tracking", "titanium shell", "5-day battery"),
        ("WRB-PW3", "WRB-FIT"),
        ("pulse ring", "smart ring"),
    ),
    # cameras
    _product(
        "CAM-C1",
        "Lumen C1 Camera",
        C.CAMERAS,
        "79.00",
        ("1080p indoor camera", "night vision", "two-way audio"),
        ("SMH-HUB", "CAM-C2"),
        ("lumen c1", "c1 camera", "lumen c 1"),
    ),
    _product(
        "CAM-C2",
        "Lumen C2 Camera",
        C.CAMERAS,
        "129.00",
        ("2k outdoor camera", "colour night vision", "weatherproof"),
        ("SMH-HUB", "CAM-DOOR"),
        ("lumen c2", "c2 camera", "lumen c 2"),
    ),
    _product(
        "CAM-ACT",
        "Lumen Action Cam",
        C.CAMERAS,
        "299.00",
        ("4k 60 fps video", "image stabilisation", "waterproof to 10 m"),
        ("STO-CARD128", "PWR-PB10K"),
        ("action cam", "lumen action", "action camera", "lumen action camera"),
    ),
    _product(
        "CAM-DOOR",
        "Lumen Doorbell Cam",
        C.CAMERAS,
        "159.00",
        ("head-to-toe view", "package detection", "battery or wired"),
        ("SMH-HUB", "CAM-C2"),
        ("doorbell", "doorbell cam", "lumen doorbell", "video doorbell"),
    ),
    # gaming
    _product(
        "GAM-PAD",
        "Arcade Pad Controller",
        C.GAMING,
        "59.00",
        ("hall-effect sticks", "wireless and wired", "remappable buttons"),
        ("GAM-G5", "CBL-USBC"),
        ("arcade pad", "pad controller", "game controller", "arcade controller"),
    ),
    _product(
        "GAM-G5",
        "Arcade Headset G5",
        C.GAMING,
        "99.00",
        ("7.1 surround sound", "detachable microphone", "memory foam cushions"),
        ("GAM-PAD", "GAM-K7"),
        ("headset g5", "g5 headset", "arcade g5", "arcade headset", "gaming headset"),
    ),
    _product(
        "GAM-K7",
        "Arcade Keyboard K7",
        C.GAMING,
        "129.00",
        ("mechanical switches", "per-key rgb", "aluminium frame"),
        ("GAM-M3", "GAM-G5"),
        ("keyboard k7", "k7 keyboard", "arcade k7", "arcade keyboard", "gaming keyboard"),
    ),
    _product(
        "GAM-M3",
        "Arcade Mouse M3",
        C.GAMING,
        "69.00",
        ("26k dpi sensor", "58 g weight", "wireless"),
        ("GAM-K7", "GAM-G5"),
        ("mouse m3", "m3 mouse", "arcade m3", "arcade mouse", "gaming mouse"),
    ),
    # kitchen and home care
    _product(
        "HOM-KETTLE",
        "Hearth Smart Kettle",
        C.KITCHEN,
        "89.00",
        ("temperature presets", "app control", "keep-warm mode"),
        ("HOM-COFFEE", "SMH-PLUG"),
        ("smart kettle", "hearth kettle", "kettle"),
    ),
    _product(
        "HOM-FRYER",
        "Hearth Air Fryer",
        C.KITCHEN,
        "139.00",
        ("5.5 litre basket", "eight presets", "dishwasher-safe parts"),
        ("HOM-KETTLE", "HOM-COFFEE"),
        ("air fryer", "hearth fryer", "airfryer"),
    ),
    _product(
        "HOM-COFFEE",
        "Hearth Coffee Maker",
        C.KITCHEN,
        "179.00",
        ("bean-to-cup grinder", "milk frother", "app scheduling"),
        ("HOM-KETTLE", "HOM-FRYER"),
        ("coffee maker", "hearth coffee", "coffee machine"),
    ),
    _product(
        "HOM-VACUUM",
        "Breeze Robot Vacuum",
        C.HOME_CARE,
        "399.00",
        ("lidar mapping", "self-emptying base", "mopping pad"),
        ("HOM-PURIFIER", "SMH-HUB"),
        ("robot vacuum", "breeze vacuum", "robot hoover", "breeze robot"),
    ),
    _product(
        "HOM-PURIFIER",
        "Breeze Air Purifier",
        C.HOME_CARE,
        "219.00",
        ("hepa 13 filter", "air quality sensor", "quiet night mode"),
        ("HOM-VACUUM", "SMH-HUB"),
        ("air purifier", "breeze purifier", "purifier"),
    ),
    # smart home
    _product(
        "SMH-BULB",
        "Glow Smart Bulb",
        C.SMART_HOME,
        "19.00",
        ("16 million colours", "e27 fitting", "voice control"),
        ("SMH-STRIP", "SMH-HUB"),
        ("smart bulb", "glow bulb", "light bulb"),
    ),
    _product(
        "SMH-STRIP",
        "Glow Light Strip",
        C.SMART_HOME,
        "49.00",
        ("2 m length", "music sync", "cuttable"),
        ("SMH-BULB", "SMH-HUB"),
        ("light strip", "glow strip", "led strip"),
    ),
    _product(
        "SMH-PLUG",
        "Haven Smart Plug",
        C.SMART_HOME,
        "25.00",
        ("energy monitoring", "schedules", "away mode"),
        ("SMH-HUB", "SMH-BULB"),
        ("smart plug", "haven plug"),
    ),
    _product(
        "SMH-THERMO",
        "Haven Thermostat",
        C.SMART_HOME,
        "229.00",
        ("learning schedule", "room sensors", "energy reports"),
        ("SMH-HUB", "SMH-PLUG"),
        ("thermostat", "haven thermostat", "smart thermostat"),
    ),
    _product(
        "SMH-HUB",
        "Haven Home Hub",
        C.SMART_HOME,
        "129.00",
        ("zigbee and matter", "7-inch display", "local automations"),
        ("SMH-THERMO", "SMH-PLUG"),
        ("home hub", "haven hub", "smart hub"),
    ),
    # charging and cables
    _product(
        "PWR-20W",
        "Volt 20W Charger",
        C.CHARGING,
        "19.00",
        ("usb-c power delivery", "compact plug", "fast charging"),
        ("CBL-USBC", "PWR-PB10K"),
        ("20w charger", "volt 20w", "20 watt charger", "volt 20"),
    ),
    _product(
        "PWR-65W",
        "Volt 65W Charger",
        C.CHARGING,
        "49.00",
        ("gan technology", "three ports", "charges laptops"),
        ("CBL-USBC", "PWR-PB20K"),
        ("65w charger", "volt 65w", "65 watt charger", "volt 65"),
    ),
    _product(
        "PWR-PB10K",
        "Volt Power Bank 10K",
        C.CHARGING,
        "35.00",
        ("10,000 mah", "20 w output", "pocket size"),
        ("CBL-USBC", "PWR-20W"),
        ("power bank 10k", "10k power bank", "volt 10k", "powerbank 10k"),
    ),
    _product(
        "PWR-PB20K",
        "Volt Power Bank 20K",
        C.CHARGING,
        "59.00",
        ("20,000 mah", "65 w output", "charges laptops"),
        ("CBL-USBC", "PWR-65W"),
        ("power bank 20k", "20k power bank", "volt 20k", "powerbank 20k"),
    ),
    _product(
        "CBL-USBC",
        "Link USB-C Cable",
        C.CABLES,
        "15.00",
        ("2 m braided", "100 w charging", "10 gbps data"),
        ("PWR-20W", "PWR-65W"),
        ("usb-c cable", "usb c cable", "type c cable", "link usb-c"),
    ),
    _product(
        "CBL-LTNG",
        "Link Lightning Cable",
        C.CABLES,
        "15.00",
        ("1 m braided", "certified connector", "fast charging"),
        ("PWR-20W", "CBL-USBC"),
        ("lightning cable", "link lightning", "iphone cable"),
    ),
    _product(
        "CBL-HDMI",
        "Link HDMI Cable",
        C.CABLES,
        "19.00",
        ("hdmi 2.1", "8k support", "2 m length"),
        ("MON-V27", "AUD-SB500"),
        ("hdmi cable", "link hdmi", "hdmi"),
    ),
    # cases and protection
    _product(
        "ACC-CASEP10",
        "Shell Case P10",
        C.CASES,
        "25.00",
        ("fits vega p10 and p10 plus", "drop tested to 2 m", "raised camera lip"),
        ("PHN-P10", "PWR-20W"),
        ("p10 case", "case p10", "shell p10", "vega p10 case"),
    ),
    _product(
        "ACC-CASEP20",
        "Shell Case P20",
        C.CASES,
        "29.00",
        ("fits vega p20 pro", "magnetic ring", "drop tested to 3 m"),
        ("ACC-GUARDP20", "PHN-P20P"),
        ("p20 case", "case p20", "shell p20", "vega p20 case"),
    ),
    _product(
        "ACC-SLVTAB",
        "Shell Tablet Sleeve",
        C.CASES,
        "29.00",
        ("fits 8 to 11-inch tablets", "water-repellent", "pen loop"),
        ("TAB-T11", "TAB-T8"),
        ("tablet sleeve", "shell sleeve tablet", "tablet case"),
    ),
    _product(
        "ACC-SLVL15",
        "Shell Laptop Sleeve 15",
        C.CASES,
        "39.00",
        ("fits 13 to 15.6-inch laptops", "padded", "accessory pocket"),
        ("LAP-O15", "BAG-TREK"),
        ("laptop sleeve", "shell laptop sleeve", "laptop sleeve 15", "laptop case"),
    ),
    _product(
        "ACC-GUARDP20",
        "Screen Guard P20",
        C.CASES,
        "19.00",
        ("tempered glass", "fingerprint-reader friendly", "easy fit frame"),
        ("ACC-CASEP20", "PHN-P20P"),
        ("screen guard", "screen protector", "p20 screen guard", "screen guard p 20"),
    ),
    # computer accessories
    _product(
        "PER-DOCKPRO",
        "Dock Pro Hub",
        C.COMPUTER_ACCESSORIES,
        "149.00",
        ("dual 4k output", "100 w pass-through", "ethernet port", "11 ports"),
        ("MON-V27", "LAP-O15P"),
        ("dock pro", "pro hub", "docking station", "dock pro hub usb-c"),
    ),
    _product(
        "PER-DOCKMINI",
        "Dock Mini Hub",
        C.COMPUTER_ACCESSORIES,
        "49.00",
        ("4k hdmi", "sd card reader", "pocket size"),
        ("CBL-HDMI", "LAP-AIR14"),
        ("dock mini", "mini hub", "usb-c hub"),
    ),
    _product(
        "PER-STAND",
        "Lift Laptop Stand",
        C.COMPUTER_ACCESSORIES,
        "45.00",
        ("aluminium", "adjustable height", "folds flat"),
        ("PER-DOCKMINI", "ACC-SLVL15"),
        ("laptop stand", "lift stand", "lift"),
    ),
    _product(
        "PER-MIC",
        "Echo Mic USB",
        C.COMPUTER_ACCESSORIES,
        "99.00",
        ("cardioid capsule", "zero-latency monitoring", "plug and play"),
        ("PER-WEBCAM", "AUD-X200"),
        ("echo mic", "usb mic", "usb microphone", "echo microphone"),
    ),
    _product(
        "PER-WEBCAM",
        "Frame Webcam HD",
        C.COMPUTER_ACCESSORIES,
        "79.00",
        ("1080p 60 fps", "auto framing", "privacy shutter"),
        ("PER-MIC", "PER-STAND"),
        ("webcam", "frame webcam", "frame hd", "hd webcam"),
    ),
    _product(
        "BAG-TREK",
        "Trek Backpack",
        C.BAGS,
        "89.00",
        ("fits 16-inch laptops", "25 litre", "water-resistant zips"),
        ("ACC-SLVL15", "PWR-PB20K"),
        ("trek", "trek bag", "backpack", "laptop backpack"),
    ),
    # monitors and storage
    _product(
        "MON-V24",
        "Vista 24 Monitor",
        C.MONITORS,
        "179.00",
        ("24-inch ips", "1080p 100 hz", "usb-c input"),
        ("CBL-HDMI", "PER-DOCKMINI"),
        ("vista 24", "24 inch monitor", "vista24"),
    ),
    _product(
        "MON-V27",
        "Vista 27 Monitor",
        C.MONITORS,
        "329.00",
        ("27-inch 4k ips", "65 w usb-c charging", "height adjustable"),
        ("PER-DOCKPRO", "CBL-HDMI"),
        ("vista 27", "27 inch monitor", "vista27", "4k monitor"),
    ),
    _product(
        "STO-SSD1T",
        "Vault SSD 1TB",
        C.STORAGE,
        "99.00",
        ("1050 mb/s", "usb-c", "drop resistant"),
        ("CBL-USBC", "STO-SSD2T"),
        ("ssd 1tb", "vault 1tb", "1tb ssd", "vault ssd 1 tb"),
    ),
    _product(
        "STO-SSD2T",
        "Vault SSD 2TB",
        C.STORAGE,
        "169.00",
        ("1050 mb/s", "usb-c", "hardware encryption"),
        ("CBL-USBC", "STO-SSD1T"),
        ("ssd 2tb", "vault 2tb", "2tb ssd", "vault ssd 2 tb"),
    ),
    _product(
        "STO-CARD128",
        "Vault Card 128GB",
        C.STORAGE,
        "25.00",
        ("microsd with adapter", "a2 app speed", "u3 for 4k video"),
        ("CAM-ACT", "TAB-T8"),
        ("sd card", "memory card", "128gb card", "vault card", "micro sd"),
    ),
)
del C

_BY_SKU: Dict[str, CatalogProduct] = {product.sku: product for product in PRODUCTS}


def product_by_sku(sku: str) -> Optional[CatalogProduct]:
    if not isinstance(sku, str):
        return None
    return _BY_SKU.get(sku.strip().upper())


def iter_product_names() -> Iterator[Tuple[str, CatalogProduct]]:
    """Every (lower-case name or alias, product) pair, for lookup tables and entity patterns."""
    for product in PRODUCTS:
        for name in product.names():
            yield name, product
