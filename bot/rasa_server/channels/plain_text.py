"""Buttons, quick replies and custom payloads written out as text, for platforms that can only show text (SMS, WhatsApp)."""

from __future__ import annotations

from typing import Any, Dict, List, Text, Union

from rasa.core.channels.channel import OutputChannel


def with_choices_as_text(text: str, choices: List[Dict[str, Any]]) -> str:
    """The message followed by the choices' titles, which the customer can type back."""
    titles = [str(choice.get("title", "")).strip() for choice in choices if isinstance(choice, dict)]
    titles = [title for title in titles if title]
    if not titles:
        return text
    listed = "\n".join(f"- {title}" for title in titles)
    return f"{text}\n\nReply with one of:\n{listed}"


class CustomPayloadAsText(OutputChannel):
    """Sends a custom payload's text, if it has any: custom payloads are written for the web widget."""

    async def send_custom_json(
        self, recipient_id: Text, json_message: Union[List[Any], Dict[Text, Any]], **kwargs: Any
    ) -> None:
        text = json_message.get("text") if isinstance(json_message, dict) else None
        if isinstance(text, str) and text.strip():
            await self.send_text_message(recipient_id, text)
