"""Action server."""
