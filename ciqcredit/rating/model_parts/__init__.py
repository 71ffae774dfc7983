"""The rating app's models beyond grade history, one module per use case (re-exported by rating.models)."""
