"""Bearer tokens and rate limits on the trust boundary."""
