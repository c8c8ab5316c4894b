"""What the action server and the bot service agree on for the internal handoff routes."""

from __future__ import annotations

# The action server sends the shared HANDOFF_SECRET in this header; the bot service checks it.
INTERNAL_SECRET_HEADER = "X-Handoff-Secret"
