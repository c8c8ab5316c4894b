"""The edge in front of the public ports: an nginx configuration and the process that runs it."""
