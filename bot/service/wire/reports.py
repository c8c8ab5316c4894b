"""Wire models of the reports API: the period and filters asked for, the summary and the time series."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Dict, List, Optional

from pydantic import Field, StrictStr, validator

from bot.service.reports.timeseries import Interval, Metric
from bot.service.wire.base import RequestModel, ResponseModel, unicode_text


class ReportQuery(RequestModel):
    """`from` and `to` are ISO 8601 moments or dates (UTC when no offset is given); the default is today."""

    from_: Optional[datetime] = Field(None, alias="from")
    to: Optional[datetime] = None
    channel: Optional[StrictStr] = Field(None, max_length=64)
    language: Optional[StrictStr] = Field(None, max_length=16)

    _unicode = validator("channel", "language", allow_reuse=True)(unicode_text)

    @validator("from_", "to", pre=True)
    def _whole_day(cls, value: object) -> object:
        """A bare date (`2026-07-01`, what a date picker gives) is that day's midnight, UTC."""
        if isinstance(value, str) and len(value) == 10:
            try:
                return datetime.combine(date.fromisoformat(value), time(), tzinfo=timezone.utc)
            except ValueError:
                return value  # the datetime field reports it
        return value


class TimeseriesQuery(ReportQuery):
    metric: Metric = Metric.CONVERSATIONS
    interval: Interval = Interval.DAY


class AgentFigures(ResponseModel):
    agent_id: int
    agent: str
    handled: int
    resolved: int
    first_response_seconds_p50: Optional[float]
    handle_seconds_p50: Optional[float]
    csat_mean: Optional[float]
    csat_responses: int


class IntentCount(ResponseModel):
    intent: str
    count: int


class Summary(ResponseModel):
    """The figures of one period; docs/reports.md defines each."""

    start: str
    end: str
    channel: Optional[str]
    language: Optional[str]
    conversations: int
    contained: int
    containment_rate: Optional[float]
    fallbacks: int
    escalated: int
    escalation_reasons: Dict[str, int]
    tickets: int
    abandoned: int
    first_response_seconds_p50: Optional[float]
    first_response_seconds_p90: Optional[float]
    handle_seconds_p50: Optional[float]
    resolved: int
    back_to_bot: int
    csat_mean: Optional[float]
    csat_positive_rate: Optional[float]
    csat_responses: int
    csat_response_rate: Optional[float]
    per_agent: List[AgentFigures]
    top_intents: List[IntentCount]


class Point(ResponseModel):
    at: str
    value: Optional[float]


class Timeseries(ResponseModel):
    metric: Metric
    interval: Interval
    points: List[Point]


class UnansweredQuestion(ResponseModel):
    """A customer's message the assistant fell back on, or the last one before a handoff; masked."""

    id: int = Field(..., description="the report turn's id; label it at /api/reports/unanswered/{question_id}/label")
    at: str
    text: str
    intent: Optional[str] = Field(..., description="what the assistant understood (nlu_fallback when it did not)")
    why: str = Field(..., description="'fallback', or 'handoff: <reason>'")
    label: Optional[str] = Field(..., description="the intent a supervisor labelled this text with, if any")


class QuestionGroupView(ResponseModel):
    """Questions alike (TF-IDF over character n-grams, cosine similarity); named by its first question's id."""

    id: int
    size: int
    questions: List[UnansweredQuestion]


class UnansweredList(ResponseModel):
    """The period's unanswered questions, largest group first."""

    start: str
    end: str
    questions: int
    groups: List[QuestionGroupView]


class LabelRequest(RequestModel):
    """The intent the question should have been understood as (a name from domain.yml)."""

    intent: StrictStr = Field(..., min_length=1, max_length=128, regex=r"^[A-Za-z][A-Za-z0-9_]*$")


class LabelAnswer(ResponseModel):
    """The label as stored, with the masked text it will be exported with."""

    id: int
    question_id: int
    text: str
    intent: str
