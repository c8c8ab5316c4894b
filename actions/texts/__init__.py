"""Texts the actions build in Python, in the customer's language (the responses themselves are in domain.yml)."""
