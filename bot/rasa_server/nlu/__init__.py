"""Custom Rasa NLU components of the assistant (dense sentence-encoder featurizer)."""
