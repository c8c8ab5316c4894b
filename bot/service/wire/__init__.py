"""Typed models of what crosses the bot service's HTTP edge: requests, responses and errors."""
