"""Web chat: the embeddable widget, the demo shop page and signed shopper identity."""
