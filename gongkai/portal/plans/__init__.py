"""Public pages of the plans area."""
