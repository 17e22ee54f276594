"""A synthetic council, deterministic from a seed: `safeguard generate` and its Python API.

    from safeguard.synthetic import generate, simulate
    generate(seed=1)                       # the default council into the (empty) record
    tables = simulate(seed=1, population=3000)   # the same, in memory only

Imports are deferred so that Django can load this app before its models are ready.
"""

from __future__ import annotations

from typing import Any


def simulate(**kwargs: Any) -> Any:
    """See `safeguard.synthetic.council.simulate`."""
    from .council import simulate as _simulate

    return _simulate(**kwargs)


def generate(**kwargs: Any) -> Any:
    """See `safeguard.synthetic.council.generate`."""
    from .council import generate as _generate

    return _generate(**kwargs)


__all__ = ["generate", "simulate"]
