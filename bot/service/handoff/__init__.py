"""Human handoff: the persistent queue, agents and transcripts behind the agent console."""
