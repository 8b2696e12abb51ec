"""Public pages of the catalog area."""
