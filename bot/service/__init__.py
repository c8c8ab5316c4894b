"""The bot service process (Sanic): handoff queue, agent API and console, web chat pages and routes."""
