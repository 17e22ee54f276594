"""Walks Django's URL map and turns every pattern into a concrete path with real ids."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


class AnyValue(dict):
    """Fills any parameter the map names; unknown names get "1" so new URLs are still walked."""

    def __missing__(self, key: str) -> str:
        return "1"


def _fill_route(route: str, values: dict[str, str]) -> str:
    return _ROUTE_PARAM.sub(lambda m: values[m.group("name")], route)


def _fill_regex(regex: str, values: dict[str, str]) -> str:
    text = _REGEX_GROUP.sub(lambda m: values[m.group("name")], regex)
    return text.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")


def _fill(pattern, values: dict[str, str]) -> str:
    raw = str(pattern.pattern)
    if hasattr(pattern.pattern, "_route"):
        return _fill_route(raw, values)
    return _fill_regex(raw, values)


def walk(
    values: dict[str, str], resolver: URLResolver | None = None, prefix: str = "/"
) -> Iterator[tuple[str, str]]:
    """Every (path, name) of the URL map, parameters filled from `values` by name."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        part = _fill(entry, values)
        if isinstance(entry, URLResolver):
            yield from walk(values, entry, prefix + part)
        elif isinstance(entry, URLPattern):
            yield prefix + part, entry.name or ""


def named_patterns(resolver: URLResolver | None = None, namespace: str = "") -> Iterator:
    """Every URLPattern with its callback, for meta-tests on views."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from named_patterns(entry)
        else:
            yield str(entry.pattern), entry.name, entry.callback
