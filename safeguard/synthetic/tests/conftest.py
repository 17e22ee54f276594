"""Shared fixtures: the default council simulated once per test session, in memory."""

from __future__ import annotations

import pytest

from safeguard.synthetic import simulate

DEFAULT_SEED = 1


@pytest.fixture(scope="session")
def default_tables():  # noqa: ANN201 - Tables
    """The default council (36,000 children, 2013-2019) as tables, without a database."""
    return simulate(seed=DEFAULT_SEED)


@pytest.fixture(scope="session")
def default_frames(default_tables):  # noqa: ANN001, ANN201
    return default_tables.frames()
