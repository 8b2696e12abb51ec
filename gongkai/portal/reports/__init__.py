"""Public pages of the reports area."""
