from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register(deploy=False)
def demo_clock_only_in_debug(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """The demo clock must never move a production deadline."""
    if settings.HAET_NOW and not settings.DEBUG:
        return [
            Error(
                "HAET_NOW is set while DEBUG is off.",
                hint="HAET_NOW moves the clock for demos only; unset it in production.",
                id="haet.E001",
            )
        ]
    return []
