"""The support assistant's own package: settings, spaCy pipeline, NLU components and the bot service."""
