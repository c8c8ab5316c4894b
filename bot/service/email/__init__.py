"""The bot service's side of e-mail: the outbox sender and the agents' replies to tickets."""
