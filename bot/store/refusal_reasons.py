"""Why an order cannot be cancelled, re-addressed or returned, in words a customer can be shown."""

from __future__ import annotations

from typing import Dict

from bot.store.statuses import OrderStatus

NOT_CANCELLABLE: Dict[OrderStatus, str] = {
    OrderStatus.SHIPPED: "The order has already left our warehouse, so it can no longer be "
    "cancelled; you can return it once it arrives.",
    OrderStatus.DELIVERED: "The order has already been delivered; you can return it instead.",
    OrderStatus.CANCELLED: "The order has already been cancelled.",
    OrderStatus.RETURNED: "The order has already been returned.",
}

NO_ADDRESS_CHANGE: Dict[OrderStatus, str] = {
    OrderStatus.SHIPPED: "The parcel is already on its way, so the address can no longer be changed.",
    OrderStatus.DELIVERED: "The order has already been delivered.",
    OrderStatus.CANCELLED: "The order was cancelled, so there is nothing left to deliver.",
    OrderStatus.RETURNED: "The order has been returned, so there is nothing left to deliver.",
}

NOT_RETURNABLE: Dict[OrderStatus, str] = {
    OrderStatus.PENDING: "The order has not shipped yet; you can cancel it instead.",
    OrderStatus.PROCESSING: "The order has not shipped yet; you can cancel it instead.",
    OrderStatus.SHIPPED: "The order is still on its way; you can start a return once it has arrived.",
    OrderStatus.CANCELLED: "The order was cancelled, so there is nothing to return.",
    OrderStatus.RETURNED: "The order has already been returned.",
}

NOT_AN_ORDER_NUMBER = "That is not an order number: they look like ORD-123456."
