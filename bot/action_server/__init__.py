"""The action server process: rasa-sdk serving the `actions` package, reachable only by the Rasa server."""
