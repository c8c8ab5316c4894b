"""The project's own spaCy pipeline: a blank English tokenizer and an entity ruler built from the catalog."""
