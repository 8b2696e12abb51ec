"""Shared test setup. Personas live in gongkai/core/testing.py and are exposed as fixtures here."""

pytest_plugins = ["gongkai.core.testing"]
