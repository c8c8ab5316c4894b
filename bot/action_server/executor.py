"""rasa-sdk's executor, creating the actions that need the context with it instead of with no arguments."""

from __future__ import annotations

import inspect
from typing import Type, Union

from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import Action

from bot.store.context import StoreContext, UsesStoreContext


class ContextActionExecutor(ActionExecutor):
    """Registers `Action(context)` for the actions that declare `UsesStoreContext`; every other action as rasa-sdk does."""

    def __init__(self, context: StoreContext) -> None:
        super().__init__()
        self.context = context

    def register_action(self, action: Union[Type[Action], Action]) -> None:
        if inspect.isclass(action) and issubclass(action, UsesStoreContext):
            action = action(self.context)
        super().register_action(action)
