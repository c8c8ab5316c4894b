"""The supervisor's privacy routes: export and erase one customer's data, read the audit log of views."""

from __future__ import annotations

import asyncio

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.service.privacy.audit import record_view, views
from bot.service.privacy.office import PrivacyOffice
from bot.service.supervisor_auth import supervisor_required
from bot.service.wire.parsing import parse_body
from bot.service.wire.privacy import AuditLog, CustomerErased, CustomerExport, CustomerRequest
from bot.service.wire.responses import answer

privacy_api = Blueprint("privacy_api", url_prefix="/api/privacy")


@privacy_api.post("/export")
@supervisor_required()
async def export(request: Request) -> HTTPResponse:
    asked = parse_body(request, CustomerRequest)
    office: PrivacyOffice = request.app.ctx.privacy
    found = await asyncio.to_thread(office.export, asked.email, asked.phone, asked.region)
    desk = request.app.ctx.desk
    # the audit log names the store's customer id, never the address: it outlives an erasure
    customers = found.get("customers") or []
    key = f"customer:{customers[0]['id']}" if customers else f"conversations:{len(found['conversation_ids'])}"
    await asyncio.to_thread(record_view, desk.engine, request.ctx.agent.id, key, "export", desk.clock())
    stores = {name: value for name, value in found.items() if name not in ("email", "phone", "conversation_ids")}
    return answer(
        CustomerExport(
            email=found["email"], phone=found["phone"], conversation_ids=found["conversation_ids"], stores=stores
        )
    )


@privacy_api.post("/erase")
@supervisor_required()
async def erase(request: Request) -> HTTPResponse:
    asked = parse_body(request, CustomerRequest)
    office: PrivacyOffice = request.app.ctx.privacy
    erasure = await asyncio.to_thread(office.erase, asked.email, asked.phone, asked.region)
    return answer(CustomerErased(conversations=erasure.conversations, changed=erasure.changed))


@privacy_api.get("/audit")
@supervisor_required()
async def audit(request: Request) -> HTTPResponse:
    found = await asyncio.to_thread(views, request.app.ctx.desk.engine)
    return answer(AuditLog.parse_obj({"views": found}))
