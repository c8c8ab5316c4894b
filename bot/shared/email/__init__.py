"""E-mail shared by the Rasa server (inbound mail, replies) and the bot service (sending, agents' replies)."""
