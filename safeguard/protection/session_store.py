"""The database session store, except that a lost database stays a lost database.

Django's store turns any DatabaseError while updating a session into `UpdateError`, which the
session middleware answers with "session interrupted", a 400 that no signal reports. When the
cause is the connection itself (the server went away, the backend was terminated), that 400
tells the user their request was bad, when the truth is a 503: the chaos run of G20 found about
a hundred such answers. Here those errors go on up as themselves, so the database-unavailable
middleware gives its 503 page; every other failure is Django's as before.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError

from .middleware import DB_ERRORS


class SessionStore(db.SessionStore):
    """`SESSION_ENGINE = "safeguard.protection.session_store"`."""

    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except UpdateError as interrupted:
            lost = interrupted.__context__
            if isinstance(lost, DB_ERRORS):
                raise lost from None
            raise
