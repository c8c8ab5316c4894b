"""Texts with numbers in them (dates, waits, opening times), rewritten for Spanish, French and German."""

from __future__ import annotations

import functools
import re
from typing import Callable, Dict, List, Tuple

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONTH_NAMES: Dict[str, Tuple[str, ...]] = {
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
}  # fmt: skip
_WEEKDAY_NAMES: Dict[str, Tuple[str, ...]] = {
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
}

# formatting.day: "2 November 2026"
_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b")
# the bot service's wait_estimate.describe_wait: "about 4 minutes", "about 1.5 hours"
_WAIT = re.compile(r"^about (\d+(?:\.\d)?) (minutes|hours)$")
# the bot service's escalation_mode.describe_reply_time: "after we open on Monday at 09:00 GMT"
_OPENING = re.compile(r"^after we open on (" + "|".join(WEEKDAYS) + r") at (\d{2}:\d{2})(?: (\S+))?$")


def _date(language: str, match: re.Match[str]) -> str:
    day, month, year = match.group(1), _MONTH_NAMES[language][MONTHS.index(match.group(2))], match.group(3)
    if language == "es":
        return f"{day} de {month} de {year}"
    if language == "de":
        return f"{day}. {month} {year}"
    return f"{day} {month} {year}"


def _wait(language: str, match: re.Match[str]) -> str:
    amount, minutes = match.group(1), match.group(2) == "minutes"
    # Decimal commas in all three; the responses read "la espera es de …", "l'attente est de …", "beträgt …".
    amount = amount.replace(".", ",")
    if language == "es":
        return f"unos {amount} {'minutos' if minutes else 'horas'}"
    if language == "fr":
        return f"environ {amount} {'minutes' if minutes else 'heures'}"
    return f"etwa {amount} {'Minuten' if minutes else 'Stunden'}"


def _opening(language: str, match: re.Match[str]) -> str:
    weekday = _WEEKDAY_NAMES[language][WEEKDAYS.index(match.group(1))]
    time, zone = match.group(2), f" {match.group(3)}" if match.group(3) else ""
    if language == "es":
        return f"cuando abramos el {weekday} a las {time}{zone}"
    if language == "fr":
        return f"dès notre ouverture {weekday} à {time}{zone}"
    return f"nachdem wir am {weekday} um {time}{zone} öffnen"


# The store's refusals that carry a number (bot/store/repository.py); their dates are rewritten after them.
_RETURN_OPEN = re.compile(r"^A return \((RMA-\d+)\) is already open for this order\.$")
_OUTSIDE_WINDOW = re.compile(
    r"^The order was delivered on (.+), more than (\d+) days ago, so it is outside the return window\.$"
)
_REASON_NEEDED = re.compile(r"^Please tell us briefly \(up to (\d+) characters\) why you are returning the order\.$")
_REFUSALS: Dict[re.Pattern[str], Dict[str, str]] = {
    _RETURN_OPEN: {
        "es": "Ya hay una devolución abierta ({0}) para este pedido.",
        "fr": "Un retour ({0}) est déjà ouvert pour cette commande.",
        "de": "Für diese Bestellung ist bereits eine Rücksendung ({0}) offen.",
    },
    _OUTSIDE_WINDOW: {
        "es": "El pedido se entregó el {0}, hace más de {1} días, así que está fuera del plazo de devolución.",
        "fr": "La commande a été livrée le {0}, il y a plus de {1} jours : elle est hors du délai de retour.",
        "de": "Die Bestellung wurde am {0} zugestellt, vor mehr als {1} Tagen, und liegt außerhalb der Rückgabefrist.",
    },
    _REASON_NEEDED: {
        "es": "Dinos brevemente (hasta {0} caracteres) por qué devuelves el pedido.",
        "fr": "Dites-nous brièvement (jusqu'à {0} caractères) pourquoi vous retournez la commande.",
        "de": "Bitte sagen Sie uns kurz (bis zu {0} Zeichen), warum Sie die Bestellung zurückgeben.",
    },
}


def _refusal(pattern: re.Pattern[str]) -> Callable[[str, re.Match[str]], str]:
    def rewrite_refusal(language: str, match: re.Match[str]) -> str:
        return _REFUSALS[pattern][language].format(*match.groups())

    return rewrite_refusal


Rewrite = Callable[[str, "re.Match[str]"], str]
PATTERNS: List[Tuple[re.Pattern[str], Rewrite]] = [
    *((pattern, _refusal(pattern)) for pattern in _REFUSALS),
    (_DATE, _date),
    (_WAIT, _wait),
    (_OPENING, _opening),
]


def rewrite(text: str, language: str) -> str:
    """The text with every date, wait and opening time in it written in `language` (not English)."""
    for pattern, replace in PATTERNS:
        text = pattern.sub(functools.partial(replace, language), text)
    return text
