"""Dialogue policies of the assistant that go beyond Rasa's own."""
