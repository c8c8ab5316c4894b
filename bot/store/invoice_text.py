"""Plain-text rendering of an invoice for the email outbox."""

from __future__ import annotations

from typing import Tuple

from bot.store.records import InvoiceView

_DESCRIPTION_WIDTH = 32


def render_invoice_email(invoice: InvoiceView, customer_name: str) -> Tuple[str, str]:
    """(subject, body) of the message that carries a copy of the invoice."""
    subject = f"Your invoice {invoice.number} for order {invoice.order_number}"
    lines = [
        f"Hello {customer_name},",
        "",
        f"as requested, here is a copy of invoice {invoice.number} "
        f"(issued {invoice.issued_at:%d %B %Y}) for order {invoice.order_number}.",
        "",
    ]
    for line in invoice.lines:
        description = line.description[:_DESCRIPTION_WIDTH].ljust(_DESCRIPTION_WIDTH)
        lines.append(f"{description} {line.quantity:>3} x {line.unit_price:>9} = {line.line_total:>10}")
    lines += [
        "",
        f"{'Subtotal':<{_DESCRIPTION_WIDTH}} {invoice.subtotal:>29}",
        f"{'Shipping':<{_DESCRIPTION_WIDTH}} {invoice.shipping:>29}",
        f"{'Tax':<{_DESCRIPTION_WIDTH}} {invoice.tax:>29}",
        f"{'Total (' + invoice.currency + ')':<{_DESCRIPTION_WIDTH}} {invoice.total:>29}",
        "",
        "Thank you for shopping with us.",
    ]
    return subject, "\n".join(lines)
