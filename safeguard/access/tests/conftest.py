"""The access tests share the web tests' small council."""

from safeguard.web.tests.conftest import council  # noqa: F401
