"""API views, one module per app; each calls that app's selectors and services only."""
