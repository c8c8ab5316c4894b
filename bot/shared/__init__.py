"""Shared by all three processes: settings, secrets, clock, database engine, SQL types, tokens and HTTP guards."""
