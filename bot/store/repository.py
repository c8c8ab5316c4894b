"""StoreRepository: everything the actions read from or change in the store, as small typed methods."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, List, Optional

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from bot.shared.clock import Clock, utc_now
from bot.shared.database import create_store_engine
from bot.store import refusal_reasons, row_mapping
from bot.store.addresses import clean_address
from bot.store.errors import (
    AddressChangeNotAllowed,
    InvalidComplaint,
    OrderNotCancellable,
    OrderNotFound,
    ReturnNotAllowed,
)
from bot.store.identifiers import (
    normalise_email,
    normalise_order_number,
    refund_number_for,
    return_number_for,
)
from bot.store.invoice_text import render_invoice_email
from bot.store.payment_checks import payment_problems_in
from bot.store.product_lookup import ProductLookup
from bot.store.product_query import ProductQuery, ProductSearchResult
from bot.store.product_search import ProductSearch
from bot.store.records import (
    ComplaintView,
    CustomerView,
    InvoiceView,
    OrderSummary,
    OrderView,
    OutboxMessage,
    PaymentProblem,
    ProductView,
    RefundView,
    ReturnView,
    ShipmentView,
)
from bot.store.statuses import OrderStatus, PaymentStatus, RefundStatus
from bot.store.tables import (
    complaints,
    customers,
    email_outbox,
    invoice_lines,
    invoices,
    order_lines,
    orders,
    payments,
    refunds,
    returns,
    shipments,
)
from bot.store.text_input import clean_free_text
from bot.store.transactions import reading, writing

DEFAULT_RETURN_WINDOW_DAYS = 30
MAX_REASON_LENGTH = 500
MAX_COMPLAINT_LENGTH = 5000
MAX_CONVERSATION_ID_LENGTH = 128
MAX_ORDERS_LISTED = 100


_ORDER_WITH_CUSTOMER = select(
    orders,
    customers.c.name.label("customer_name"),
    customers.c.email.label("customer_email"),
).join(customers, customers.c.id == orders.c.customer_id)


class StoreRepository:
    """Reads and changes the store; every method returns frozen views and raises StoreError subclasses."""

    def __init__(
        self,
        engine: Engine,
        *,
        return_window_days: int = DEFAULT_RETURN_WINDOW_DAYS,
        clock: Clock = utc_now,
    ) -> None:
        self._engine = engine
        self._return_window = timedelta(days=return_window_days)
        self._clock = clock
        self._products = ProductLookup(engine)
        self._product_search = ProductSearch(engine)

    @classmethod
    def from_url(cls, url: str, kept_connections: Optional[int] = None, **options: Any) -> StoreRepository:
        return cls(create_store_engine(url, kept_connections=kept_connections), **options)

    @property
    def engine(self) -> Engine:
        return self._engine

    # orders and customers

    def find_order(self, order_number: Optional[str]) -> Optional[OrderView]:
        number = normalise_order_number(order_number)
        if number is None:
            return None
        with reading(self._engine) as connection:
            return self._load_order(connection, number)

    def verify_customer(self, order_number: Optional[str], email: Optional[str]) -> bool:
        """True when `email` is the address of the customer who placed the order."""
        return self.verified_customer(order_number, email) is not None

    def verified_customer(self, order_number: Optional[str], email: Optional[str]) -> Optional[CustomerView]:
        """The customer who placed the order, if `email` is theirs; what a verification form stores."""
        number, address = normalise_order_number(order_number), normalise_email(email)
        if number is None or not address:
            return None
        with reading(self._engine) as connection:
            row = connection.execute(
                select(customers)
                .join(orders, customers.c.id == orders.c.customer_id)
                .where(orders.c.number == number, customers.c.email == address)
            ).first()
        return None if row is None else CustomerView(id=row.id, name=row.name, email=row.email)

    def find_customer(self, email: Optional[str]) -> Optional[CustomerView]:
        address = normalise_email(email)
        if not address:
            return None
        with reading(self._engine) as connection:
            row = connection.execute(select(customers).where(customers.c.email == address)).first()
        return None if row is None else CustomerView(id=row.id, name=row.name, email=row.email)

    def orders_for_customer(self, email: Optional[str], limit: int = 5) -> List[OrderSummary]:
        address = normalise_email(email)
        if not address or limit <= 0:
            return []
        item_count = func.coalesce(func.sum(order_lines.c.quantity), 0).label("item_count")
        query = (
            select(
                orders.c.number,
                orders.c.status,
                orders.c.placed_at,
                orders.c.total_cents,
                orders.c.currency,
                item_count,
            )
            .join(customers, customers.c.id == orders.c.customer_id)
            .outerjoin(order_lines, order_lines.c.order_id == orders.c.id)
            .where(customers.c.email == address)
            .group_by(
                orders.c.id,
                orders.c.number,
                orders.c.status,
                orders.c.placed_at,
                orders.c.total_cents,
                orders.c.currency,
            )
            .order_by(orders.c.placed_at.desc(), orders.c.id.desc())
            .limit(min(limit, MAX_ORDERS_LISTED))
        )
        with reading(self._engine) as connection:
            return [row_mapping.order_summary(row) for row in connection.execute(query)]

    def shipment_for(self, order_number: Optional[str]) -> Optional[ShipmentView]:
        number = normalise_order_number(order_number)
        if number is None:
            return None
        with reading(self._engine) as connection:
            row = connection.execute(
                select(shipments).join(orders, orders.c.id == shipments.c.order_id).where(orders.c.number == number)
            ).first()
        return None if row is None else row_mapping.shipment_view(number, row)

    def cancel_order(self, order_number: Optional[str]) -> OrderView:
        """Cancel a pending or processing order and request refunds of what was charged for it."""
        now = self._clock()
        with writing(self._engine) as connection:
            order = self._lock_order(connection, order_number)
            status = OrderStatus(order.status)
            if not status.is_cancellable:
                raise OrderNotCancellable(refusal_reasons.NOT_CANCELLABLE[status])
            connection.execute(
                update(orders).where(orders.c.id == order.id).values(status=OrderStatus.CANCELLED, updated_at=now)
            )
            charged = connection.execute(
                select(payments.c.id, payments.c.amount_cents)
                .join(invoices, invoices.c.id == payments.c.invoice_id)
                .where(invoices.c.order_id == order.id, payments.c.status == PaymentStatus.CAPTURED)
                .order_by(payments.c.id)
            ).all()
            for payment in charged:
                self._insert_refund(
                    connection, order.id, payment.id, payment.amount_cents, "Order cancelled by the customer", now
                )
            return self._reload_order(connection, order.number)

    def change_shipping_address(self, order_number: Optional[str], address: str) -> OrderView:
        now = self._clock()
        with writing(self._engine) as connection:
            order = self._lock_order(connection, order_number)
            status = OrderStatus(order.status)
            if not status.accepts_address_change:
                raise AddressChangeNotAllowed(refusal_reasons.NO_ADDRESS_CHANGE[status])
            cleaned = clean_address(address)
            connection.execute(
                update(orders).where(orders.c.id == order.id).values(shipping_address=cleaned, updated_at=now)
            )
            return self._reload_order(connection, order.number)

    # returns and refunds

    def start_return(self, order_number: Optional[str], reason: str) -> ReturnView:
        now = self._clock()
        cleaned_reason = clean_free_text(reason, MAX_REASON_LENGTH)
        with writing(self._engine) as connection:
            order = self._lock_order(connection, order_number)
            refusal = self._return_refusal(connection, order, now)
            if refusal is not None:
                raise ReturnNotAllowed(refusal)
            if cleaned_reason is None:
                raise ReturnNotAllowed(
                    f"Please tell us briefly (up to {MAX_REASON_LENGTH} characters) why you are returning the order."
                )
            return_id = connection.execute(
                insert(returns).values(order_id=order.id, reason=cleaned_reason, created_at=now)
            ).inserted_primary_key[0]
            number = return_number_for(return_id)
            connection.execute(update(returns).where(returns.c.id == return_id).values(number=number))
        return ReturnView(number=number, order_number=order.number, reason=cleaned_reason, created_at=now)

    def return_refusal(self, order_number: Optional[str]) -> Optional[str]:
        """Why the order cannot be returned now, or None when `start_return` would open a return for it."""
        number = normalise_order_number(order_number)
        if number is None:
            raise OrderNotFound(refusal_reasons.NOT_AN_ORDER_NUMBER)
        with reading(self._engine) as connection:
            order = connection.execute(_ORDER_WITH_CUSTOMER.where(orders.c.number == number)).first()
            if order is None:
                raise OrderNotFound(f"There is no order {number}.")
            return self._return_refusal(connection, order, self._clock())

    def _return_refusal(self, connection: Connection, order: Any, now: datetime) -> Optional[str]:
        status = OrderStatus(order.status)
        if status is not OrderStatus.DELIVERED:
            return refusal_reasons.NOT_RETURNABLE[status]
        already = connection.execute(select(returns.c.number).where(returns.c.order_id == order.id)).first()
        if already is not None:
            return f"A return ({already.number}) is already open for this order."
        delivered_at = (
            connection.execute(select(shipments.c.delivered_at).where(shipments.c.order_id == order.id)).scalar()
            or order.updated_at
        )
        if now - delivered_at > self._return_window:
            return (
                f"The order was delivered on {delivered_at:%d %B %Y}, more than "
                f"{self._return_window.days} days ago, so it is outside the return window."
            )
        return None

    def refunds_for(self, order_number: Optional[str]) -> List[RefundView]:
        number = normalise_order_number(order_number)
        if number is None:
            return []
        with reading(self._engine) as connection:
            rows = connection.execute(
                select(refunds, orders.c.currency.label("currency"))
                .join(orders, orders.c.id == refunds.c.order_id)
                .where(orders.c.number == number)
                .order_by(refunds.c.requested_at, refunds.c.id)
            ).all()
        return [row_mapping.refund_view(number, row.currency, row) for row in rows]

    # billing

    def invoice_for(self, order_number: Optional[str]) -> Optional[InvoiceView]:
        number = normalise_order_number(order_number)
        if number is None:
            return None
        with reading(self._engine) as connection:
            return self._load_invoice(connection, number)

    def queue_invoice_copy(self, order_number: Optional[str]) -> OutboxMessage:
        """Put a copy of the order's invoice in the email outbox, addressed to the email on the order.

        The recipient is never taken from the conversation: whoever is chatting can only ever have the
        invoice sent to the customer who placed the order.
        """
        now = self._clock()
        with writing(self._engine) as connection:
            order = self._lock_order(connection, order_number)
            invoice = self._load_invoice(connection, order.number)
            if invoice is None:
                raise OrderNotFound(f"There is no invoice for order {order.number} yet.")
            recipient = normalise_email(order.customer_email)
            subject, body = render_invoice_email(invoice, order.customer_name)
            message_id = connection.execute(
                insert(email_outbox).values(recipient=recipient, subject=subject, body=body, created_at=now)
            ).inserted_primary_key[0]
        return OutboxMessage(id=message_id, recipient=recipient, subject=subject, body=body, created_at=now)

    def outbox(self, recipient: Optional[str] = None, limit: int = 50) -> List[OutboxMessage]:
        """The newest messages first, optionally only those to one recipient."""
        query = select(email_outbox).order_by(email_outbox.c.id.desc()).limit(max(limit, 0))
        if recipient is not None:
            query = query.where(email_outbox.c.recipient == normalise_email(recipient))
        with reading(self._engine) as connection:
            rows = connection.execute(query).all()
        return [
            OutboxMessage(
                id=row.id, recipient=row.recipient, subject=row.subject, body=row.body, created_at=row.created_at
            )
            for row in rows
        ]

    def payment_problems(self, order_number: Optional[str]) -> List[PaymentProblem]:
        """Failed payment attempts and duplicate charges not yet refunded, oldest first."""
        number = normalise_order_number(order_number)
        if number is None:
            return []
        with reading(self._engine) as connection:
            rows = connection.execute(
                select(payments, invoices.c.currency.label("currency"))
                .join(invoices, invoices.c.id == payments.c.invoice_id)
                .join(orders, orders.c.id == invoices.c.order_id)
                .where(orders.c.number == number)
                .order_by(payments.c.created_at, payments.c.id)
            ).all()
        return payment_problems_in(rows)

    # products

    def find_product(self, query: Optional[str]) -> Optional[ProductView]:
        """The product a customer most likely means, tolerating typos; None when nothing is close."""
        return self._products.find(query)

    def product_by_sku(self, sku: Optional[str]) -> Optional[ProductView]:
        return self._products.by_sku(sku)

    def related_products(self, sku: Optional[str], limit: int = 2) -> List[ProductView]:
        return self._products.related(sku, limit)

    def search_products(self, query: ProductQuery) -> ProductSearchResult:
        """Up to three products of the kind, feature and price asked for, best first, or the closest one."""
        return self._product_search.search(query)

    # complaints

    def record_complaint(self, conversation_id: str, text: str, order_number: Optional[str] = None) -> ComplaintView:
        conversation = clean_free_text(conversation_id, MAX_CONVERSATION_ID_LENGTH)
        if conversation is None:
            raise InvalidComplaint("A complaint needs the conversation it was made in.")
        cleaned_text = clean_free_text(text, MAX_COMPLAINT_LENGTH)
        if cleaned_text is None:
            raise InvalidComplaint(f"Please describe the problem in up to {MAX_COMPLAINT_LENGTH} characters.")
        # A mistyped order number must not cost the customer their complaint: it is kept without one.
        number = normalise_order_number(order_number)
        now = self._clock()
        with writing(self._engine) as connection:
            complaint_id = connection.execute(
                insert(complaints).values(
                    conversation_id=conversation, text=cleaned_text, order_number=number, created_at=now
                )
            ).inserted_primary_key[0]
        return ComplaintView(
            id=complaint_id, conversation_id=conversation, text=cleaned_text, order_number=number, created_at=now
        )

    # shared building blocks

    def _lock_order(self, connection: Connection, order_number: Optional[str]) -> Any:
        number = normalise_order_number(order_number)
        if number is None:
            raise OrderNotFound(refusal_reasons.NOT_AN_ORDER_NUMBER)
        # FOR UPDATE serialises concurrent changes on PostgreSQL; on SQLite `writing` holds the write lock already.
        order = connection.execute(
            _ORDER_WITH_CUSTOMER.where(orders.c.number == number).with_for_update(of=orders)
        ).first()
        if order is None:
            raise OrderNotFound(f"There is no order {number}.")
        return order

    def _load_order(self, connection: Connection, number: str) -> Optional[OrderView]:
        order = connection.execute(_ORDER_WITH_CUSTOMER.where(orders.c.number == number)).first()
        if order is None:
            return None
        lines = connection.execute(
            select(order_lines).where(order_lines.c.order_id == order.id).order_by(order_lines.c.id)
        ).all()
        return row_mapping.order_view(order, lines)

    def _reload_order(self, connection: Connection, number: str) -> OrderView:
        """The order just changed in this transaction, which therefore exists."""
        order = self._load_order(connection, number)
        if order is None:
            raise OrderNotFound(f"There is no order {number}.")
        return order

    def _load_invoice(self, connection: Connection, number: str) -> Optional[InvoiceView]:
        invoice = connection.execute(
            select(invoices).join(orders, orders.c.id == invoices.c.order_id).where(orders.c.number == number)
        ).first()
        if invoice is None:
            return None
        lines = connection.execute(
            select(invoice_lines).where(invoice_lines.c.invoice_id == invoice.id).order_by(invoice_lines.c.id)
        ).all()
        return row_mapping.invoice_view(number, invoice, lines)

    @staticmethod
    def _insert_refund(
        connection: Connection, order_id: int, payment_id: Optional[int], amount_cents: int, reason: str, now: datetime
    ) -> None:
        refund_id = connection.execute(
            insert(refunds).values(
                order_id=order_id,
                payment_id=payment_id,
                status=RefundStatus.REQUESTED,
                amount_cents=amount_cents,
                reason=reason,
                requested_at=now,
                updated_at=now,
            )
        ).inserted_primary_key[0]
        connection.execute(update(refunds).where(refunds.c.id == refund_id).values(number=refund_number_for(refund_id)))
