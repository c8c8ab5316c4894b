"""Guards shared by the public routes: request throttling and the like."""
