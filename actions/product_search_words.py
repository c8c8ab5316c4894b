"""The words shoppers use for kinds of product, features and price limits, in English, Spanish, French and German.

Phrases are written as the search reader tokenises them: lower case, one space between words.
"""

from __future__ import annotations

from typing import Dict, FrozenSet, Tuple

from bot.store.product_kinds import ProductKind

K = ProductKind
KIND_WORDS: Dict[str, ProductKind] = {
    # English
    **dict.fromkeys(["headphones", "headphone", "headset", "headsets", "earphones", "cans"], K.HEADPHONES),
    **dict.fromkeys(["earbuds", "earbud", "buds", "in ear"], K.EARBUDS),
    **dict.fromkeys(["speaker", "speakers", "soundbar", "soundbars"], K.SPEAKERS),
    **dict.fromkeys(["audio"], K.AUDIO),
    **dict.fromkeys(
        ["phone", "phones", "smartphone", "smartphones", "mobile phone", "mobile phones", "cell phone"], K.PHONES
    ),
    **dict.fromkeys(["tablet", "tablets"], K.TABLETS),
    **dict.fromkeys(["laptop", "laptops", "notebook", "notebooks"], K.LAPTOPS),
    **dict.fromkeys(["watch", "watches", "smartwatch", "smartwatches", "smart watch", "smart watches"], K.WATCHES),
    **dict.fromkeys(["fitness tracker", "fitness trackers", "tracker", "fitness band"], K.FITNESS_TRACKERS),
    **dict.fromkeys(["wearable", "wearables"], K.WEARABLES),
    **dict.fromkeys(["camera", "cameras"], K.CAMERAS),
    **dict.fromkeys(["webcam", "webcams"], K.WEBCAMS),
    **dict.fromkeys(["gaming"], K.GAMING),
    **dict.fromkeys(["keyboard", "keyboards"], K.KEYBOARDS),
    **dict.fromkeys(["mouse", "mice"], K.MICE),
    **dict.fromkeys(["controller", "controllers", "gamepad"], K.CONTROLLERS),
    **dict.fromkeys(["kitchen"], K.KITCHEN),
    **dict.fromkeys(["coffee machine", "coffee maker", "coffee machines", "coffee makers"], K.COFFEE_MAKERS),
    **dict.fromkeys(["vacuum", "vacuums", "hoover"], K.VACUUMS),
    **dict.fromkeys(["smart home"], K.SMART_HOME),
    **dict.fromkeys(["bulb", "bulbs", "lights", "lamp"], K.LIGHTS),
    **dict.fromkeys(["charger", "chargers"], K.CHARGERS),
    **dict.fromkeys(["power bank", "power banks", "powerbank", "powerbanks"], K.POWER_BANKS),
    **dict.fromkeys(["cable", "cables"], K.CABLES),
    **dict.fromkeys(["cases", "phone case", "phone cases", "sleeve", "sleeves"], K.CASES),
    **dict.fromkeys(["dock", "docks", "usb hub", "docking station"], K.DOCKS),
    **dict.fromkeys(["microphone", "microphones", "mic"], K.MICROPHONES),
    **dict.fromkeys(["monitor", "monitors"], K.MONITORS),
    **dict.fromkeys(["storage", "memory card"], K.STORAGE),
    **dict.fromkeys(["ssd", "ssds"], K.SSDS),
    **dict.fromkeys(["backpack", "bag", "bags"], K.BAGS),
    # Spanish
    **dict.fromkeys(["auriculares", "auricular", "cascos"], K.HEADPHONES),
    **dict.fromkeys(["altavoz", "altavoces", "barra de sonido"], K.SPEAKERS),
    **dict.fromkeys(
        ["móvil", "móviles", "movil", "moviles", "teléfono", "teléfonos", "telefono", "telefonos"], K.PHONES
    ),
    **dict.fromkeys(["tableta", "tabletas"], K.TABLETS),
    **dict.fromkeys(["portátil", "portátiles", "portatil", "portatiles", "ordenador portátil"], K.LAPTOPS),
    **dict.fromkeys(["reloj", "relojes"], K.WATCHES),
    **dict.fromkeys(["pulsera", "pulsera de actividad", "pulseras"], K.FITNESS_TRACKERS),
    **dict.fromkeys(["cámara", "cámaras", "camara", "camaras"], K.CAMERAS),
    **dict.fromkeys(["teclado", "teclados"], K.KEYBOARDS),
    **dict.fromkeys(["ratón", "raton", "ratones"], K.MICE),
    **dict.fromkeys(["mando", "mandos"], K.CONTROLLERS),
    **dict.fromkeys(["cafetera", "cafeteras"], K.COFFEE_MAKERS),
    **dict.fromkeys(["aspiradora", "aspirador"], K.VACUUMS),
    **dict.fromkeys(["cargador", "cargadores"], K.CHARGERS),
    **dict.fromkeys(["batería externa", "bateria externa"], K.POWER_BANKS),
    **dict.fromkeys(["funda", "fundas"], K.CASES),
    **dict.fromkeys(["monitores", "pantalla"], K.MONITORS),
    **dict.fromkeys(["mochila"], K.BAGS),
    # French
    **dict.fromkeys(["casque", "casques", "casque audio"], K.HEADPHONES),
    **dict.fromkeys(["écouteurs", "ecouteurs"], K.EARBUDS),
    **dict.fromkeys(["enceinte", "enceintes", "haut parleur"], K.SPEAKERS),
    **dict.fromkeys(["téléphone portable", "téléphone", "téléphones", "telephone", "telephones"], K.PHONES),
    **dict.fromkeys(["tablette", "tablettes"], K.TABLETS),
    # "portable" alone is the computer; the telephone is "téléphone portable" (found first, as the longer phrase).
    **dict.fromkeys(
        ["portable", "portables", "ordinateur portable", "ordinateurs portables", "pc portable", "ordi"], K.LAPTOPS
    ),
    **dict.fromkeys(["montre", "montres", "montre connectée"], K.WATCHES),
    **dict.fromkeys(["bracelet", "bracelet connecté"], K.FITNESS_TRACKERS),
    **dict.fromkeys(["caméra", "caméras", "appareil photo"], K.CAMERAS),
    **dict.fromkeys(["clavier", "claviers"], K.KEYBOARDS),
    **dict.fromkeys(["souris"], K.MICE),
    **dict.fromkeys(["manette", "manettes"], K.CONTROLLERS),
    **dict.fromkeys(["cafetière", "cafetiere", "machine à café"], K.COFFEE_MAKERS),
    **dict.fromkeys(["aspirateur"], K.VACUUMS),
    **dict.fromkeys(["chargeur", "chargeurs"], K.CHARGERS),
    **dict.fromkeys(["batterie externe"], K.POWER_BANKS),
    **dict.fromkeys(["câble", "câbles"], K.CABLES),
    **dict.fromkeys(["coque", "housse"], K.CASES),
    **dict.fromkeys(["écran", "écrans", "ecran", "ecrans"], K.MONITORS),
    **dict.fromkeys(["sac à dos", "sac"], K.BAGS),
    # German
    **dict.fromkeys(["kopfhörer", "kopfhoerer", "kopfhorer"], K.HEADPHONES),
    **dict.fromkeys(["ohrhörer", "in ear kopfhörer"], K.EARBUDS),
    **dict.fromkeys(["lautsprecher", "boxen"], K.SPEAKERS),
    **dict.fromkeys(["handy", "handys", "telefon", "telefone"], K.PHONES),
    **dict.fromkeys(["fitnessarmband", "fitnesstracker", "armband"], K.FITNESS_TRACKERS),
    **dict.fromkeys(["kamera", "kameras"], K.CAMERAS),
    **dict.fromkeys(["tastatur", "tastaturen"], K.KEYBOARDS),
    **dict.fromkeys(["maus", "mäuse"], K.MICE),
    **dict.fromkeys(["kaffeemaschine", "kaffeemaschinen"], K.COFFEE_MAKERS),
    **dict.fromkeys(["staubsauger", "saugroboter"], K.VACUUMS),
    **dict.fromkeys(["ladegerät", "ladegeräte", "ladegeraet"], K.CHARGERS),
    **dict.fromkeys(["kabel"], K.CABLES),
    **dict.fromkeys(["hülle", "hüllen"], K.CASES),
    **dict.fromkeys(["monitore", "bildschirm", "bildschirme"], K.MONITORS),
    **dict.fromkeys(["rucksack"], K.BAGS),
}
del K

# A feature as shoppers say it -> the wordings the catalog uses for it.
FEATURE_WORDS: Dict[str, Tuple[str, ...]] = {
    **dict.fromkeys(
        ["noise cancelling", "noise canceling", "anc", "cancelación de ruido", "cancelacion de ruido",
         "réduction de bruit", "reduction de bruit", "geräuschunterdrückung", "noise cancellation"],
        ("noise cancelling",),
    ),
    **dict.fromkeys(
        ["waterproof", "water resistant", "resistente al agua", "aguante el agua", "impermeable", "sumergible",
         "étanche", "etanche", "wasserdicht", "wasserfest"],
        ("waterproof", "weatherproof", "swim proof", "splash resistant", "water resistant", "water repellent"),
    ),
    **dict.fromkeys(["gps"], ("gps",)),
    **dict.fromkeys(
        ["wireless", "inalámbrico", "inalámbricos", "inalambrico", "inalambricos", "sans fil", "kabellos",
         "kabellose", "kabellosen"],
        ("wireless",),
    ),
    **dict.fromkeys(["oled"], ("oled",)),
    **dict.fromkeys(
        ["outdoor", "exterior", "para exterior", "extérieur", "exterieur", "draußen", "für draußen", "außen"],
        ("outdoor", "weatherproof"),
    ),
    **dict.fromkeys(
        ["night vision", "visión nocturna", "vision nocturna", "vision nocturne", "nachtsicht"], ("night vision",)
    ),
    **dict.fromkeys(["fast charging", "carga rápida", "charge rapide", "schnellladen"], ("fast charging",)),
}  # fmt: skip

# Units after a number make it a feature ("32 GB", "65W"), never a price; French writes Go and To.
UNITS: Dict[str, str] = {
    "gb": "gb", "go": "gb", "tb": "tb", "to": "tb", "mb": "mb", "w": "w", "mah": "mah", "hz": "hz", "k": "k",
    "inch": "inch", "inches": "inch", "pulgadas": "inch", "pouces": "inch", "zoll": "inch", "fps": "fps",
}  # fmt: skip

MAX_PRICE_WORDS: FrozenSet[str] = frozenset(
    [
        "under", "below", "less than", "lower than", "cheaper than", "up to", "max", "maximum", "at most",
        "no more than", "not more than", "within", "budget", "budget is", "budget of", "budget around",
        "my budget is", "<", "for under", "for less than",
        "menos de", "por menos de", "x menos de", "debajo de", "por debajo de", "hasta", "máximo", "maximo",
        "como mucho", "como máximo", "más barato que", "mas barato que", "inferior a", "presupuesto",
        "presupuesto de", "presupuesto es de", "pasar de", "de hasta",
        "moins de", "à moins de", "a moins de", "pour moins de", "en dessous de", "au dessous de", "sous",
        "jusqu'à", "jusqu'a", "pas plus de", "moins cher que", "budget est de", "dépasser", "depasser",
        "unter", "für unter", "weniger als", "bis", "bis zu", "höchstens", "maximal", "billiger als",
        "günstiger als", "unterhalb von", "nicht mehr als", "budget sind",
    ]
)  # fmt: skip
# Written after the amount: "200 euros maximum", "300 euros to spend".
MAX_PRICE_AFTER_WORDS: FrozenSet[str] = frozenset(
    ["maximum", "max", "máximo", "maximo", "höchstens", "maximal", "to spend", "para gastar", "à dépenser"]
)
MIN_PRICE_WORDS: FrozenSet[str] = frozenset(
    [
        "over", "above", "more than", "at least", "from", "min", "minimum", "starting at",
        "más de", "mas de", "desde", "a partir de", "mínimo", "minimo", "por encima de", "de más de",
        "plus de", "au moins", "à partir de", "a partir de", "au dessus de", "dès", "de plus de",
        "über", "mehr als", "ab", "mindestens", "oberhalb von",
    ]
)  # fmt: skip
# A negation shortly before a minimum turns it into a limit: "can't spend more than 900".
NEGATIONS: FrozenSet[str] = frozenset(
    ["not", "no", "never", "can't", "cannot", "don't", "won't", "nicht", "pas", "nunca"]
)
BETWEEN_WORDS: FrozenSet[str] = frozenset(["between", "entre", "zwischen", "from", "de", "von", "desde"])
RANGE_JOINERS: FrozenSet[str] = frozenset(["and", "to", "y", "a", "hasta", "et", "à", "und", "bis", "-"])
# An amount after these, with no other cue, is what the shopper means to spend.
FOR_WORDS: FrozenSet[str] = frozenset(["for", "por", "pour", "für", "around", "about", "unos", "environ", "etwa"])

CURRENCY_WORDS: Dict[str, str] = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "bucks": "USD", "dólares": "USD",
    "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "quid": "GBP", "libras": "GBP", "livres": "GBP",
    "pfund": "GBP",
}  # fmt: skip

LIKE_WORDS: FrozenSet[str] = frozenset(
    ["like", "similar", "alternative", "instead of", "como", "parecido", "parecida", "alternativa", "comme",
     "équivalent", "equivalent", "semblable", "alternative", "wie", "ähnliches", "ähnlich", "alternative zur",
     "alternative zum"]
)  # fmt: skip
CHEAPER_WORDS: FrozenSet[str] = frozenset(
    ["cheaper", "less money", "more affordable", "más barato", "mas barato", "más barata", "más económico",
     "mas economico", "más económica", "moins cher", "moins chère", "moin cher", "billiger", "günstiger",
     "günstigere", "günstigeren", "preiswerter"]
)  # fmt: skip
