"""Domain exceptions of the store; each carries a reason an action can pass on to the customer."""

from __future__ import annotations


class StoreError(Exception):
    """Base of everything the store raises on purpose."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StoreUnavailable(StoreError):
    """The database could not be reached or answered with an error."""


class OrderNotFound(StoreError):
    pass


class OrderNotCancellable(StoreError):
    pass


class AddressChangeNotAllowed(StoreError):
    pass


class InvalidAddress(StoreError):
    pass


class ReturnNotAllowed(StoreError):
    pass


class InvalidComplaint(StoreError):
    pass


class UnknownProduct(StoreError):
    pass


class DemoStoreExists(StoreError):
    """The database already holds store data and rebuilding was not asked for."""
