"""HTTP framing guard and timeouts that every Sanic app of the project installs."""
