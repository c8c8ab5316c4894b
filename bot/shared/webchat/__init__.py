"""Webchat."""
