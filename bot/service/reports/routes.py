"""The reports API under /api/reports: the summary and the time series, as JSON or CSV, for supervisors."""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta, timezone
from typing import Optional, Tuple

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.service.handoff.errors import InvalidRequest
from bot.service.reports.csv_export import series_csv, summary_csv
from bot.service.reports.dataset import Dataset, load_dataset
from bot.service.reports.figures import Filters, summarise
from bot.service.reports.timeseries import MAX_POINTS, bucket_count, series
from bot.service.supervisor_auth import supervisor_required
from bot.service.wire.parsing import parse_query
from bot.service.wire.reports import ReportQuery, Summary, Timeseries, TimeseriesQuery
from bot.service.wire.responses import answer

reports_api = Blueprint("reports_api", url_prefix="/api/reports")
MAX_PERIOD = timedelta(days=366)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def period_of(query: ReportQuery, now: datetime) -> Tuple[datetime, datetime]:
    """Today (UTC) unless asked otherwise; `to` alone means the day before it."""
    end = _utc(query.to) if query.to else None
    start = _utc(query.from_) if query.from_ else None
    if start is None:
        start = (end - timedelta(days=1)) if end else datetime.combine(now.date(), time(), tzinfo=timezone.utc)
    if end is None:
        end = start + timedelta(days=1)
    if end <= start:
        raise InvalidRequest("'to' must be after 'from'")
    if end - start > MAX_PERIOD:
        raise InvalidRequest("a report covers at most 366 days")
    return start, end


async def _dataset(request: Request, query: ReportQuery) -> Tuple[Dataset, Filters]:
    desk = request.app.ctx.desk
    now = desk.clock()
    start, end = period_of(query, now)
    dataset = await asyncio.to_thread(load_dataset, desk.engine, start, end, now)
    return dataset, Filters(channel=query.channel, language=query.language)


async def _summary(request: Request) -> Summary:
    dataset, filters = await _dataset(request, parse_query(request, ReportQuery))
    figures = await asyncio.to_thread(summarise, dataset, dataset.start, dataset.end, filters)
    return Summary.parse_obj(figures)


async def _timeseries(request: Request) -> Timeseries:
    query = parse_query(request, TimeseriesQuery)
    dataset, filters = await _dataset(request, query)
    if bucket_count(dataset.start, dataset.end, query.interval) > MAX_POINTS:
        raise InvalidRequest(f"at most {MAX_POINTS} points: choose a shorter period or interval=day")
    points = await asyncio.to_thread(series, dataset, query.metric, query.interval, filters)
    return Timeseries.parse_obj({"metric": query.metric, "interval": query.interval, "points": points})


def _csv(body: str, name: str) -> HTTPResponse:
    headers: Optional[dict[str, str]] = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
    return HTTPResponse(body, headers=headers, content_type="text/csv; charset=utf-8")


@reports_api.get("/summary")
@supervisor_required()
async def summary(request: Request) -> HTTPResponse:
    return answer(await _summary(request))


@reports_api.get("/summary.csv")
@supervisor_required()
async def summary_as_csv(request: Request) -> HTTPResponse:
    return _csv(summary_csv((await _summary(request)).dict()), "summary")


@reports_api.get("/timeseries")
@supervisor_required()
async def timeseries(request: Request) -> HTTPResponse:
    return answer(await _timeseries(request))


@reports_api.get("/timeseries.csv")
@supervisor_required()
async def timeseries_as_csv(request: Request) -> HTTPResponse:
    found = await _timeseries(request)
    return _csv(series_csv(str(found.metric), [point.dict() for point in found.points]), f"timeseries-{found.metric}")
