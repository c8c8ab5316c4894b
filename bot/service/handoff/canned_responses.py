"""Saved replies agents insert with `/shortcut`, per language; `{first_name}` and `{order_number}` are filled in the console."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

DEFAULT_LANGUAGE = "en"
VARIABLES = ("first_name", "order_number")


@dataclass(frozen=True)
class CannedResponse:
    shortcut: str
    title: str
    text: str
    language: str


# (shortcut, title, text) per ISO 639-1 language; a shortcut means the same reply in every language
_REPLIES: Dict[str, Tuple[Tuple[str, str, str], ...]] = {
    "en": (
        ("hello", "Greeting", "Hi {first_name}, thanks for waiting. I'm looking into this now."),
        ("order", "Ask for the order number", "Could you give me your order number, please? It starts with ORD-."),
        ("status", "Order status", "I've checked order {order_number}; I'll tell you exactly where it is in a moment."),
        (
            "refund",
            "Refund arranged",
            "I've arranged a refund for order {order_number}; a confirmation e-mail is on its way.",
        ),
        (
            "tracking",
            "Tracking link",
            "You can follow order {order_number} with the carrier's tracking link I'm sending you.",
        ),
        ("anything", "Anything else", "Is there anything else I can help you with, {first_name}?"),
        ("bye", "Goodbye", "Thanks for chatting with us, {first_name}. Have a good day!"),
    ),
    "de": (
        ("hello", "Begrüßung", "Hallo {first_name}, danke fürs Warten. Ich sehe mir das jetzt an."),
        (
            "order",
            "Nach der Bestellnummer fragen",
            "Können Sie mir bitte Ihre Bestellnummer nennen? Sie beginnt mit ORD-.",
        ),
        ("status", "Bestellstatus", "Ich habe Bestellung {order_number} geprüft und sage Ihnen gleich, wo sie ist."),
        (
            "refund",
            "Erstattung veranlasst",
            "Die Erstattung für Bestellung {order_number} ist veranlasst; eine Bestätigung kommt per E-Mail.",
        ),
        (
            "tracking",
            "Sendungsverfolgung",
            "Bestellung {order_number} können Sie mit dem Link des Paketdienstes verfolgen, den ich Ihnen schicke.",
        ),
        ("anything", "Sonst noch etwas", "Kann ich sonst noch etwas für Sie tun, {first_name}?"),
        ("bye", "Verabschiedung", "Danke für Ihre Nachricht, {first_name}. Einen schönen Tag noch!"),
    ),
    "fr": (
        ("hello", "Salutation", "Bonjour {first_name}, merci de votre patience. Je regarde cela tout de suite."),
        (
            "order",
            "Demander le numéro de commande",
            "Pouvez-vous me donner votre numéro de commande ? Il commence par ORD-.",
        ),
        (
            "status",
            "Statut de commande",
            "J'ai vérifié la commande {order_number} ; je vous dis où elle en est dans un instant.",
        ),
        (
            "refund",
            "Remboursement lancé",
            "Le remboursement de la commande {order_number} est lancé ; vous recevrez un e-mail de confirmation.",
        ),
        (
            "tracking",
            "Lien de suivi",
            "Vous pouvez suivre la commande {order_number} avec le lien du transporteur que je vous envoie.",
        ),
        ("anything", "Autre chose", "Puis-je vous aider pour autre chose, {first_name} ?"),
        ("bye", "Au revoir", "Merci de nous avoir contactés, {first_name}. Bonne journée !"),
    ),
    "es": (
        ("hello", "Saludo", "Hola {first_name}, gracias por esperar. Lo reviso ahora mismo."),
        ("order", "Pedir el número de pedido", "¿Me puede dar su número de pedido, por favor? Empieza por ORD-."),
        ("status", "Estado del pedido", "He revisado el pedido {order_number}; enseguida le digo dónde está."),
        (
            "refund",
            "Reembolso tramitado",
            "He tramitado el reembolso del pedido {order_number}; recibirá un correo de confirmación.",
        ),
        (
            "tracking",
            "Enlace de seguimiento",
            "Puede seguir el pedido {order_number} con el enlace del transportista que le envío.",
        ),
        ("anything", "Algo más", "¿Puedo ayudarle en algo más, {first_name}?"),
        ("bye", "Despedida", "Gracias por escribirnos, {first_name}. ¡Que tenga un buen día!"),
    ),
}


def languages() -> List[str]:
    return sorted(_REPLIES)


def canned_responses(language: Optional[str]) -> Tuple[str, List[CannedResponse]]:
    """The replies in `language` (its primary subtag), or in English when there are none in it."""
    primary = (language or "").split("-")[0].strip().lower()
    chosen = primary if primary in _REPLIES else DEFAULT_LANGUAGE
    return chosen, [CannedResponse(shortcut, title, text, chosen) for shortcut, title, text in _REPLIES[chosen]]
