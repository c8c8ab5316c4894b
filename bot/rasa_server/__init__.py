"""Rasa server."""
