"""Web chat identity and session proofs, shared by the socket.io channel and the bot service."""
