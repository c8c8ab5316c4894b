"""`python -m bot run`: starts the three processes and restarts one that dies."""
