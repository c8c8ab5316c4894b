"""What the handoff service itself says to a waiting or connected customer, in the customer's language."""

from __future__ import annotations

from typing import Any, Dict, Optional

from bot.shared.languages import spoken_or_default

# The web chat widget shows a bot message carrying `custom: {"handoff": ...}` as a notice line.
AGENT_JOINED_EVENT = "agent_joined"
AGENT_LEFT_EVENT = "agent_left"

_AGENT_JOINED = {
    "en": "{agent} from our support team has joined the chat.",
    "es": "{agent}, de nuestro equipo de soporte, se ha unido al chat.",
    "fr": "{agent}, de notre équipe, a rejoint la conversation.",
    "de": "{agent} aus unserem Support-Team ist dem Chat beigetreten.",
}
_NEXT_IN_LINE = {
    "en": "You're next in line; an agent will be with you shortly.",
    "es": "Eres el siguiente; un agente te atenderá enseguida.",
    "fr": "Vous êtes le prochain ; un conseiller sera avec vous dans un instant.",
    "de": "Sie sind als Nächstes dran; gleich ist jemand für Sie da.",
}
_QUEUE_POSITION = {
    "en": "You're now number {position} in the queue.",
    "es": "Ahora eres el número {position} en la cola.",
    "fr": "Vous êtes maintenant en position {position} dans la file.",
    "de": "Sie sind jetzt Nummer {position} in der Warteschlange.",
}
_CHAT_CLOSED = {
    "en": "{agent} has closed this chat. Thanks for talking to us.",
    "es": "{agent} ha cerrado este chat. Gracias por hablar con nosotros.",
    "fr": "{agent} a clos cette conversation. Merci d'avoir échangé avec nous.",
    "de": "{agent} hat diesen Chat beendet. Danke für das Gespräch.",
}


def agent_joined(agent_name: str, language: Optional[str] = None) -> str:
    return _AGENT_JOINED[spoken_or_default(language)].format(agent=agent_name)


def queue_position_changed(position: int, language: Optional[str] = None) -> str:
    spoken = spoken_or_default(language)
    if position == 1:
        return _NEXT_IN_LINE[spoken]
    return _QUEUE_POSITION[spoken].format(position=position)


def chat_closed(agent_name: str, language: Optional[str] = None) -> str:
    return _CHAT_CLOSED[spoken_or_default(language)].format(agent=agent_name)


def handoff_notice(event: str, agent_name: str) -> Dict[str, Any]:
    """The custom payload sent beside a notice's text; channels without a widget keep only the text."""
    return {"handoff": {"event": event, "agent": agent_name}}
