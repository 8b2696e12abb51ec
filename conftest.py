"""Shared test setup: the personas in gongkai/testing/ (built with gongkai/testing/factories.py)
are exposed as fixtures here."""

pytest_plugins = ["gongkai.testing"]
