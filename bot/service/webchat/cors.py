"""CORS for the web chat's routes on the bot service: only the shop's configured origins, never `*`."""

from __future__ import annotations

from typing import Dict, Sequence

from sanic.request import Request

from bot.shared.webchat.session_proof import PROOF_HEADER


def cors_headers(request: Request, allowed_origins: Sequence[str]) -> Dict[str, str]:
    """The headers that let the shop's pages read this response; nothing for any other origin."""
    origin = request.headers.get("origin", "")
    if origin and origin in allowed_origins:
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
    return {"Vary": "Origin"}


def preflight_headers(request: Request, allowed_origins: Sequence[str]) -> Dict[str, str]:
    headers = cors_headers(request, allowed_origins)
    if "Access-Control-Allow-Origin" in headers:
        headers.update(
            {
                "Access-Control-Allow-Methods": "GET, OPTIONS",
                "Access-Control-Allow-Headers": PROOF_HEADER,
                "Access-Control-Max-Age": "600",
            }
        )
    return headers
