"""Part `serving`: simulated customers load the project's stack and Rasa's starter assistant alike."""
