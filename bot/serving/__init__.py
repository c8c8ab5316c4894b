"""Running the Rasa server tuned for many concurrent conversations."""
