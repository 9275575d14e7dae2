"""Views of the patients app, one module per concern."""
