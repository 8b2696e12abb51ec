"""Public pages of the participation area."""
