"""Browser tests use the shared fixtures of the root conftest.py (browser, page, axe)."""
