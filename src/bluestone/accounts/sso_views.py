"""The two pages of single sign-on: the start (off to the provider) and the callback (back from it),
mozilla-django-oidc's views with a page that says why a sign-in was refused and what to do next.
Both answer 404 unless BLUESTONE_OIDC_ENABLED is on."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from bluestone.accounts.events import SingleSignOnRefused
from bluestone.accounts.sso import REFUSAL_ATTRIBUTE, Refusal, SignInRefused
from bluestone.core.events import publish


def _enabled() -> None:
    if not settings.BLUESTONE_OIDC_ENABLED:
        raise Http404("Single sign-on is not set up.")


@method_decorator(never_cache, name="dispatch")
class SingleSignOnStartView(OIDCAuthenticationRequestView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _enabled()
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response


@method_decorator(never_cache, name="dispatch")
class SingleSignOnCallbackView(OIDCAuthenticationCallbackView):
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _enabled()
        try:
            response: HttpResponse = super().dispatch(request, *args, **kwargs)
        except SuspiciousOperation:
            # A state this browser did not start: an old tab, a second tab, or a link made by someone else.
            return self._refused(SignInRefused(Refusal.PROVIDER))
        return response

    def login_failure(self) -> HttpResponse:
        refusal = getattr(self.request, REFUSAL_ATTRIBUTE, None)
        return self._refused(refusal if isinstance(refusal, SignInRefused) else SignInRefused(Refusal.PROVIDER))

    def _refused(self, refusal: SignInRefused) -> HttpResponse:
        publish(SingleSignOnRefused(request=self.request, reason=refusal.reason.value, identity=refusal.identity))
        context = {"reason": refusal.reason.value, "identity": refusal.identity}
        return render(self.request, "accounts/sso_refused.html", context, status=403)
