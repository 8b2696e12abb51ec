"""Public pages of the foi area."""
