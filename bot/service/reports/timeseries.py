"""One report figure per hour or day of a period, for the supervisor's charts."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Dict, List

from bot.service.reports.dataset import Dataset
from bot.service.reports.figures import Filters, summarise


class Interval(str, Enum):
    HOUR = "hour"
    DAY = "day"


class Metric(str, Enum):
    CONVERSATIONS = "conversations"
    CONTAINED = "contained"
    CONTAINMENT_RATE = "containment_rate"
    ESCALATED = "escalated"
    ABANDONED = "abandoned"
    RESOLVED = "resolved"
    FIRST_RESPONSE_SECONDS_P50 = "first_response_seconds_p50"
    HANDLE_SECONDS_P50 = "handle_seconds_p50"
    CSAT_MEAN = "csat_mean"
    CSAT_RESPONSES = "csat_responses"
    FALLBACKS = "fallbacks"


STEP = {Interval.HOUR: timedelta(hours=1), Interval.DAY: timedelta(days=1)}
# a year of days or a month of hours: more points than that is no chart
MAX_POINTS = 800


def bucket_start(moment: datetime, interval: Interval) -> datetime:
    moment = moment.replace(minute=0, second=0, microsecond=0)
    return moment.replace(hour=0) if interval is Interval.DAY else moment


def bucket_count(start: datetime, end: datetime, interval: Interval) -> int:
    first = bucket_start(start, interval)
    return max(0, -(-int((end - first).total_seconds()) // int(STEP[interval].total_seconds())))


def series(dataset: Dataset, metric: Metric, interval: Interval, filters: Filters) -> List[Dict[str, Any]]:
    points = []
    moment = bucket_start(dataset.start, interval)
    while moment < dataset.end:
        following = moment + STEP[interval]
        figures = summarise(dataset, max(moment, dataset.start), min(following, dataset.end), filters)
        points.append({"at": moment.isoformat(), "value": figures[metric.value]})
        moment = following
    return points
