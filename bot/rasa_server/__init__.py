"""Runs inside the Rasa server process: its launcher, NLU components, policies, channels and tracker-store guards."""
