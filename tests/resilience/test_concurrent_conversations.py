"""200 customers at once, each verifying and asking for their order: every one gets their own order's status.

Before the keep-alive fix (bot/rasa_server/launch.py) 21-36% of these conversations ended with an empty
or apologetic reply, because Sanic dropped Rasa's calls to the busy action server.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from typing import List, Tuple

import aiohttp

from tests.security.attacker import sqlite_path
from tests.support.event_loop import run_coroutine
from tests.support.stack import Stack

CUSTOMERS = 200
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=600)


def _orders(stack: Stack) -> List[Tuple[str, str]]:
    with sqlite3.connect(sqlite_path(stack.database_url)) as connection:
        return connection.execute(
            "SELECT o.number, c.email FROM orders o JOIN customers c ON c.id = o.customer_id"
        ).fetchall()


async def _conversation(session: aiohttp.ClientSession, url: str, number: str, email: str) -> str:
    sender = f"crowd-{uuid.uuid4().hex[:12]}"
    answers = []
    for text in (f"where is my order {number}?", email):
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            body = await response.json(content_type=None)
            answers.append(
                " ".join(m.get("text", "") for m in body) if response.status == 200 else f"HTTP {response.status}"
            )
    return answers[-1]


def test_two_hundred_concurrent_customers_each_get_their_own_order(running_stack: Stack) -> None:
    chosen = random.Random(7).choices(_orders(running_stack), k=CUSTOMERS)
    url = f"{running_stack.rasa_url}/webhooks/rest/webhook"

    async def crowd() -> List[str]:
        import asyncio

        async with aiohttp.ClientSession(headers=running_stack.rest_headers, timeout=REQUEST_TIMEOUT) as session:
            return await asyncio.gather(*(_conversation(session, url, number, email) for number, email in chosen))

    replies = run_coroutine(crowd())
    wrong = [(number, reply) for (number, _), reply in zip(chosen, replies, strict=True) if number not in reply]
    assert not wrong, f"{len(wrong)} of {CUSTOMERS} conversations went wrong, e.g. {wrong[:3]}"
