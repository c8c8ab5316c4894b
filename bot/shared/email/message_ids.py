"""Message-Id headers: reading the `<id>` lists of In-Reply-To and References, and making new ids."""

from __future__ import annotations

import re
import secrets
from email.utils import parseaddr
from typing import Optional, Tuple

_ID = re.compile(r"<([^<>\s]{1,250})>")
MAX_IDS = 50


def message_ids(header: Optional[str]) -> Tuple[str, ...]:
    """The ids in a header, written `<...>`, without brackets; a long chain keeps its newest ids."""
    if not header:
        return ()
    found = tuple(_ID.findall(header))
    return found[-MAX_IDS:]


def new_message_id(from_address: str) -> str:
    """A fresh id under the support address's domain, without brackets; unguessable, so it proves receipt."""
    domain = parseaddr(from_address)[1].rpartition("@")[2] or "localhost"
    # secrets, not email.utils.make_msgid: its random part comes from `random` and could be predicted
    return f"{secrets.token_urlsafe(24)}@{domain}"


def bracketed(ids: Tuple[str, ...]) -> str:
    return " ".join(f"<{value}>" for value in ids)
