"""Input channels mounted on one real Sanic app as Rasa mounts them, with every message they pass on recorded."""

from __future__ import annotations

import uuid
from typing import List, Sequence

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Sanic

from tests.support.served_app import Served


def serve_channels(channels: Sequence[InputChannel], received: List[UserMessage], echo: bool = False) -> Served:
    """Each channel at `/webhooks/<name>/`; with `echo`, each message is answered `you said <text>`."""

    async def on_new_message(message: UserMessage) -> None:
        received.append(message)
        if echo and message.output_channel is not None:
            await message.output_channel.send_text_message(message.sender_id, f"you said {message.text}")

    app = Sanic(f"channels_{uuid.uuid4().hex[:8]}")
    for channel in channels:
        app.blueprint(channel.blueprint(on_new_message), url_prefix=f"/webhooks/{channel.name()}")
    return Served(app)
