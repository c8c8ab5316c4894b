"""The unanswered questions under /api/reports: the grouped list, a supervisor's label, the NLU export."""

from __future__ import annotations

import asyncio
from typing import List

from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.service.handoff.errors import NotFound
from bot.service.reports.question_groups import group_questions
from bot.service.reports.question_labels import add_label, all_labels, labels_by_text, nlu_yaml
from bot.service.reports.routes import period_of
from bot.service.reports.unanswered import question_by_id, unanswered_questions
from bot.service.supervisor_auth import supervisor_required
from bot.service.wire.parsing import parse_body, parse_query
from bot.service.wire.reports import (
    LabelAnswer,
    LabelRequest,
    QuestionGroupView,
    ReportQuery,
    UnansweredList,
    UnansweredQuestion,
)
from bot.service.wire.responses import answer

unanswered_api = Blueprint("reports_unanswered", url_prefix="/api/reports")


@unanswered_api.get("/unanswered")
@supervisor_required()
async def unanswered(request: Request) -> HTTPResponse:
    query = parse_query(request, ReportQuery)
    desk = request.app.ctx.desk
    start, end = period_of(query, desk.clock())
    events_db = request.app.ctx.settings.events_db
    questions = await asyncio.to_thread(unanswered_questions, desk.engine, events_db, start, end)
    groups, labelled = await asyncio.gather(
        asyncio.to_thread(group_questions, questions), asyncio.to_thread(labels_by_text, desk.engine)
    )
    views: List[QuestionGroupView] = [
        QuestionGroupView(
            id=group.id,
            size=len(group.questions),
            questions=[
                UnansweredQuestion(
                    id=question.id,
                    at=question.at.isoformat(),
                    text=question.text,
                    intent=question.intent,
                    why=question.why,
                    label=labelled.get(question.text),
                )
                for question in group.questions
            ],
        )
        for group in groups
    ]
    return answer(UnansweredList(start=start.isoformat(), end=end.isoformat(), questions=len(questions), groups=views))


@unanswered_api.post("/unanswered/<question_id:int>/label")
@supervisor_required()
async def label(request: Request, question_id: int) -> HTTPResponse:
    intent = parse_body(request, LabelRequest).intent
    desk = request.app.ctx.desk
    question = await asyncio.to_thread(question_by_id, desk.engine, request.app.ctx.settings.events_db, question_id)
    if question is None:
        raise NotFound(f"there is no question {question_id} (or its conversation was erased)")
    stored = await asyncio.to_thread(add_label, desk.engine, question.text, intent, request.ctx.agent.id, desk.clock())
    return answer(
        LabelAnswer(id=stored.id, question_id=question.id, text=stored.text, intent=stored.intent), status=201
    )


@unanswered_api.get("/unanswered.yml")
@supervisor_required()
async def export(request: Request) -> HTTPResponse:
    body = nlu_yaml(await asyncio.to_thread(all_labels, request.app.ctx.desk.engine))
    headers = {"Content-Disposition": 'attachment; filename="unanswered-nlu.yml"'}
    return HTTPResponse(body, headers=headers, content_type="application/x-yaml; charset=utf-8")


def setup_unanswered_questions(app: Sanic) -> None:
    app.blueprint(unanswered_api)
