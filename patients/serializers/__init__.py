"""Input and output shapes of the patients app, one module per concern."""
