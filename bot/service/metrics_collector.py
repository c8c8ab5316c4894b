"""Prometheus metrics of support, read from the database at each scrape: counts survive restarts, no ids or text."""

from __future__ import annotations

from typing import Iterator, List, Tuple

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Integer, case, func, select
from sqlalchemy.engine import Engine

from bot.service.handoff import tables as handoff
from bot.service.reports import tables as reports
from bot.shared.clock import Clock, as_utc

# seconds a customer waits for a person: from half a minute to an hour
WAIT_BUCKETS = (30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0, 3600.0)
# seconds from Rasa logging a customer's message to the turn's last bot line: a tenth of a second to half a minute
REPLY_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
PRESENCE_SECONDS = 90


def _histogram(values: List[float], buckets: Tuple[float, ...]) -> Tuple[List[Tuple[str, float]], float]:
    counts = [(str(bound), float(sum(1 for value in values if value <= bound))) for bound in buckets]
    return counts + [("+Inf", float(len(values)))], sum(values)


class SupportCollector(Collector):
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    def collect(self) -> Iterator[Metric]:
        turns, handoffs, messages = reports.turns, handoff.handoffs, handoff.messages
        with self._engine.connect() as connection:
            by_channel = connection.execute(
                select(turns.c.channel, func.count(), func.sum(func.cast(turns.c.fallback, Integer))).group_by(
                    turns.c.channel
                )
            ).all()
            by_reason = connection.execute(select(handoffs.c.reason, func.count()).group_by(handoffs.c.reason)).all()
            waiting = connection.execute(
                select(func.count()).where(handoffs.c.status == "waiting", handoffs.c.kind == "live")
            ).scalar_one()
            waits = connection.execute(
                select(handoffs.c.created_at, handoffs.c.claimed_at).where(handoffs.c.claimed_at.isnot(None))
            ).all()
            replies = connection.execute(select(func.count()).where(messages.c.sender == "agent")).scalar_one()
            # counted in the database: a row per customer message would be too many to fetch at each scrape
            seconds = reports.reply_times.c.seconds
            reply_counts = connection.execute(
                select(
                    func.count(),
                    func.coalesce(func.sum(seconds), 0.0),
                    *(func.coalesce(func.sum(case((seconds <= bound, 1), else_=0)), 0) for bound in REPLY_BUCKETS),
                )
            ).one()
            scores = connection.execute(
                select(handoff.ratings.c.score, func.count()).group_by(handoff.ratings.c.score)
            ).all()
            seen = connection.execute(
                select(handoff.agents.c.last_seen_at).where(handoff.agents.c.status == "online")
            ).all()
        messages_total = CounterMetricFamily(
            "support_customer_messages", "Customer messages the assistant read", labels=["channel"]
        )
        fallbacks = CounterMetricFamily(
            "support_fallbacks", "Customer messages the assistant did not understand", labels=["channel"]
        )
        for channel, count, fallback_count in by_channel:
            messages_total.add_metric([channel or "unknown"], float(count))
            fallbacks.add_metric([channel or "unknown"], float(fallback_count or 0))
        yield messages_total
        yield fallbacks
        escalations = CounterMetricFamily("support_handoffs", "Conversations handed to a person", labels=["reason"])
        for reason, count in by_reason:
            escalations.add_metric([reason], float(count))
        yield escalations
        yield GaugeMetricFamily("support_queue_length", "Live chats waiting for an agent", value=float(waiting))
        wait_seconds = [max(0.0, (as_utc(claimed) - as_utc(created)).total_seconds()) for created, claimed in waits]
        buckets, total = _histogram(wait_seconds, WAIT_BUCKETS)
        yield HistogramMetricFamily(
            "support_wait_seconds",
            "Time from escalation to an agent claiming the chat",
            buckets=buckets,
            sum_value=total,
        )
        reply_count, reply_total, *reply_buckets = reply_counts
        yield HistogramMetricFamily(
            "support_rasa_reply_seconds",
            "Time from Rasa logging a customer message (after NLU) to the last bot message of its turn",
            buckets=[(str(bound), float(count)) for bound, count in zip(REPLY_BUCKETS, reply_buckets, strict=True)]
            + [("+Inf", float(reply_count))],
            sum_value=float(reply_total),
        )
        yield CounterMetricFamily("support_agent_replies", "Messages agents sent to customers", value=float(replies))
        ratings = CounterMetricFamily("support_ratings", "Ratings customers gave, by score", labels=["score"])
        for score, count in scores:
            ratings.add_metric([str(score)], float(count))
        yield ratings
        now = self._clock()
        online = sum(1 for (moment,) in seen if moment and (now - as_utc(moment)).total_seconds() <= PRESENCE_SECONDS)
        yield GaugeMetricFamily("support_agents_online", "Agents online and present", value=float(online))
