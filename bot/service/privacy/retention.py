"""The scheduled retention job: every hour, conversations older than RETENTION_DAYS are deleted or anonymised."""

from __future__ import annotations

import asyncio
import logging

from bot.service.privacy.office import PrivacyOffice
from bot.shared.clock import Clock

logger = logging.getLogger(__name__)
RUN_EVERY_SECONDS = 3600.0


async def run_retention(
    office: PrivacyOffice, clock: Clock, retention_days: int, every: float = RUN_EVERY_SECONDS
) -> None:
    while True:
        try:
            purged = await asyncio.to_thread(office.purge, clock(), retention_days)
            if purged:
                logger.info("retention: %d conversations older than %d days removed", purged, retention_days)
        except Exception:  # the next run tries again; a database hiccup must not end the job
            logger.exception("the retention job failed; it runs again in an hour")
        await asyncio.sleep(every)
