"""The shop's data: catalog, SQL models, the repository the actions read through, and the demo store."""
