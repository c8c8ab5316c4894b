"""Starts the mail outbox sender with the service (when SMTP_URL is set) and gives the desk ticket replies by mail."""

from __future__ import annotations

import asyncio
import contextlib

from sanic import Sanic

from bot.service.email.outbox_wakeup import OutboxWakeup, listens_for_notifications
from bot.service.email.outbox_worker import MailOutboxWorker, MailRetryPolicy
from bot.service.email.smtp_sender import SmtpSender
from bot.service.email.ticket_replies import TicketReplies
from bot.shared.email.tables import create_email_tables
from bot.shared.settings import Settings


def setup_email(app: Sanic, settings: Settings) -> None:
    email = settings.channels.email

    @app.before_server_start
    async def open_mail(app: Sanic, _loop: object) -> None:
        # after setup_handoff's listener: the desk and its engine exist by now
        desk = app.ctx.desk
        await asyncio.to_thread(create_email_tables, desk.engine)
        desk.ticket_replies = TicketReplies(desk.engine, email.from_address, desk.rasa)
        app.ctx.mail_task = None
        app.ctx.mail_wakeup = None
        smtp = email.smtp
        if smtp is not None:
            policy = MailRetryPolicy(max_delay_seconds=email.retry_max_seconds)
            worker = MailOutboxWorker(desk.engine, SmtpSender(smtp), email.from_address, policy)
            app.ctx.mail_task = asyncio.ensure_future(worker.run_forever())
            if listens_for_notifications(desk.engine):
                # replies queued by the Rasa server and the action server go out at once, not at the next poll
                app.ctx.mail_wakeup = OutboxWakeup(desk.engine, worker.wake)
                app.ctx.mail_wakeup.start()

    @app.after_server_stop
    async def close_mail(app: Sanic, _loop: object) -> None:
        if app.ctx.mail_wakeup is not None:
            app.ctx.mail_wakeup.stop()
        task = app.ctx.mail_task
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
