"""The shop's domain: catalog, SQL tables, identifiers and the repository the actions and the bot service read through."""
