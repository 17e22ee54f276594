"""safeguard.settings with protection wired in, as settings.py will be once the lead adds it.

Only for running protection's tests before that; delete when settings.py carries the wiring.
"""

from safeguard.settings import *  # noqa: F403
from safeguard.settings import INSTALLED_APPS, MIDDLEWARE

from .auth_settings import *  # noqa: F403
from .auth_settings import wire

INSTALLED_APPS, MIDDLEWARE = wire(INSTALLED_APPS, MIDDLEWARE)
