"""Made-up names and addresses the demo store draws its customers from."""
from __future__ import annotations

from typing import Tuple

FIRST_NAMES: Tuple[str, ...] = (
    "Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hugo", "Ines", "Jonas",
    "Karin", "Luca", "Mila", "Noah", "Olga", "Paul", "Quentin", "Rosa", "Samir", "Tara",
    "Uwe", "Vera", "Willem", "Xenia", "Yusuf", "Zoe", "Amelie", "Bruno", "Chiara", "Dario",
    "Emma", "Finn", "Hanna", "Igor", "Julia", "Kai", "Lotte", "Marco", "Nora", "Oskar",
)

LAST_NAMES: Tuple[str, ...] = (
    "Schmidt", "Martin", "Bianchi", "Jansen", "Kowalski", "Dubois", "Larsen", "Moreau",
    "Novak", "Ortega", "Peeters", "Quinn", "Richter", "Silva", "Tanaka", "Vogel", "Weber",
    "Yilmaz", "Zimmermann", "Andersen", "Bauer", "Costa", "Dijkstra", "Engel", "Fontaine",
    "Garcia", "Hoffmann", "Ivanova", "Jung", "Klein", "Lehmann", "Marino", "Nielsen",
    "Olsen", "Petit", "Romano", "Sommer", "Torres", "Urban", "Wagner",
)

EMAIL_DOMAINS: Tuple[str, ...] = ("example.com", "example.org", "example.net")

STREETS: Tuple[str, ...] = (
    "Lindenstrasse", "Rue des Fleurs", "Via Roma", "Keizersgracht", "Calle Mayor",
    "Market Street", "Ringvej", "Hauptstrasse", "Avenue Victor Hugo", "Corso Italia",
    "Prinsengracht", "Gran Via", "Mill Lane", "Storgata", "Bahnhofstrasse",
    "Rue du Moulin", "Via Garibaldi", "Herengracht", "Paseo del Prado", "Station Road",
)

# (postcode, city, country)
CITIES: Tuple[Tuple[str, str, str], ...] = (
    ("10115", "Berlin", "Germany"),
    ("80331", "Munich", "Germany"),
    ("20095", "Hamburg", "Germany"),
    ("75004", "Paris", "France"),
    ("69002", "Lyon", "France"),
    ("00184", "Rome", "Italy"),
    ("20121", "Milan", "Italy"),
    ("1015 CS", "Amsterdam", "Netherlands"),
    ("3011 AD", "Rotterdam", "Netherlands"),
    ("28013", "Madrid", "Spain"),
    ("08002", "Barcelona", "Spain"),
    ("1000", "Brussels", "Belgium"),
    ("1050", "Copenhagen", "Denmark"),
    ("0150", "Oslo", "Norway"),
    ("1010", "Vienna", "Austria"),
    ("8001", "Zurich", "Switzerland"),
    ("00-001", "Warsaw", "Poland"),
    ("110 00", "Prague", "Czechia"),
    ("D02 X285", "Dublin", "Ireland"),
    ("1100-148", "Lisbon", "Portugal"),
)

CARRIERS: Tuple[Tuple[str, str], ...] = (
    # (carrier, tracking number prefix)
    ("DHL", "JD"),
    ("UPS", "1Z"),
    ("DPD", "DP"),
    ("GLS", "GL"),
    ("PostNL", "3S"),
)

PAYMENT_METHODS: Tuple[str, ...] = ("card", "card", "card", "paypal", "bank transfer", "klarna")

PAYMENT_FAILURES: Tuple[str, ...] = (
    "card declined by the issuing bank",
    "insufficient funds",
    "3-D Secure check not completed",
    "card expired",
)

RETURN_REASONS: Tuple[str, ...] = (
    "Does not fit my needs",
    "Arrived damaged",
    "Changed my mind",
    "Stopped working after a few days",
    "Wrong item delivered",
    "Better price elsewhere",
)

COMPLAINTS: Tuple[str, ...] = (
    "The courier left my parcel in the rain and the box was soaked.",
    "I was charged twice and nobody answered my email.",
    "The headphones crackle on the left side.",
    "Delivery took two weeks longer than promised.",
    "The invoice shows the wrong company name.",
    "Your chat kept asking for my order number again and again.",
    "The refund still has not arrived after three weeks.",
    "The laptop sleeve smells strongly of chemicals.",
    "The smart plug disconnects from the app every night.",
    "I received a used item with scratches on the screen.",
)
