"""GOV.UK Notify's delivery-status callback: Notify POSTs JSON about each message it sent, with the
bearer token set for the service (BLUESTONE_NOTIFY_CALLBACK_TOKEN). Nobody signs in: the token is the
caller's proof, compared in constant time, and a request without it changes nothing.

Nothing personal is logged: Notify's callback carries the recipient's phone number or email address
(`to`), which is read by nobody here; the log says only which outbox message changed."""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bluestone.victims.notifications import delivery_status_receive

logger = logging.getLogger(__name__)

MAX_BODY = 16 * 1024


def _token_ok(request: HttpRequest) -> bool:
    expected = str(getattr(settings, "BLUESTONE_NOTIFY_CALLBACK_TOKEN", "") or "")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    # Always compared, even when no token is set, so that a refusal takes the same time either way.
    same = hmac.compare_digest(given.encode(), (expected or "\0").encode())
    return bool(expected) and scheme == "Bearer" and same


# CSRF protects a signed-in browser; this view has no session, only the bearer token Notify sends.
@csrf_exempt
@never_cache
@require_POST
def notify_callback(request: HttpRequest) -> HttpResponse:
    if not _token_ok(request):
        logger.warning("GOV.UK Notify callback refused: no valid bearer token")
        return JsonResponse({"error": "not authorised"}, status=403)
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": "too large"}, status=413)
    try:
        payload = json.loads(request.body or b"null")
        changed = delivery_status_receive(payload)
    except ValueError:
        return JsonResponse({"error": "expected a JSON object with id and status"}, status=400)
    if changed:
        logger.info("GOV.UK Notify callback: delivery status of an outbox message changed")
    return JsonResponse({"ok": True})
