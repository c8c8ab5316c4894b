"""The bot service: handoff queue, agent API and console, and the channels other parts register."""
