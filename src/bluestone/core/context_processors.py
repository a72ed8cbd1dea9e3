from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    """The service name for every template."""
    return {"service_name": settings.SERVICE_NAME}
