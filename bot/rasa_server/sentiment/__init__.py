"""How upset or abusive a customer's message is (VADER sentiment plus an abuse word list)."""
