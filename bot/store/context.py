"""What a process that answers from the store hands the code it creates: settings, the store, the clock, the forms."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.shared.clock import Clock, utc_now
from bot.shared.domain_forms import DomainForms
from bot.shared.settings import Settings
from bot.store.repository import StoreRepository
from bot.store.worker_threads import StoreThreads


@dataclass(frozen=True)
class StoreContext:
    """Built once by the action server's factory (or by a test) and passed to each action it creates."""

    settings: Settings
    store: StoreRepository
    clock: Clock = field(default=utc_now)
    # the store's calls block: they run here, off the event loop
    threads: StoreThreads = field(default_factory=StoreThreads)
    # the form validators' slots, so that Rasa need not send them the domain
    forms: DomainForms = field(default_factory=DomainForms)


class UsesStoreContext:
    """Mixin of the actions that need the context: the action server creates them as `Action(context)`."""

    def __init__(self, context: StoreContext) -> None:
        self.context = context
