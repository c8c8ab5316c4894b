"""Messaging-platform connectors and the credentials file Rasa reads at start-up."""
