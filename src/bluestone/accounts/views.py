"""Sign-in (password, then a security code where the user has set one up), the account page,
setting up and removing the authenticator app, and signing out of every session."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from bluestone.accounts.forms import SecurityCodeForm, SignInForm
from bluestone.accounts.lockout import (
    lockout_response,
    sign_in_attempts_reset,
    sign_in_failure_record,
    sign_in_is_locked,
)
from bluestone.accounts.middleware import session_has_device_set
from bluestone.accounts.models import User
from bluestone.accounts.otp import CodeCheck, totp_device_confirmed, totp_qr_code_svg, totp_secret_base32
from bluestone.accounts.services import (
    user_sign_out_everywhere,
    user_two_factor_confirm,
    user_two_factor_remove,
    user_two_factor_set_up_start,
    user_two_factor_verify,
)
from bluestone.accounts.sso import provider_sign_out_url, session_is_single_sign_on


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required has run)
    return user


def _next_url(request: HttpRequest) -> str | None:
    """The page to go back to, if it is one of ours (never another site)."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


class SignInView(LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.BLUESTONE_LOCAL_PASSWORDS:
            # The page shows no password form; a password sent anyway is not even checked.
            return self.render_to_response(self.get_context_data(), status=403)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["single_sign_on"] = settings.BLUESTONE_OIDC_ENABLED
        context["local_passwords"] = settings.BLUESTONE_LOCAL_PASSWORDS
        context["idle_limit_seconds"] = settings.SESSION_COOKIE_AGE
        context["absolute_limit_seconds"] = settings.SESSION_ABSOLUTE_LIMIT_SECONDS
        return context

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        user = form.get_user()
        assert isinstance(user, User)  # noqa: S101 (AUTH_USER_MODEL)
        if totp_device_confirmed(user=user) is None:
            # No second step: the sign-in is complete.
            sign_in_attempts_reset(user=user)
            return response
        url = reverse("accounts:two-factor")
        next_url = _next_url(self.request)
        return HttpResponseRedirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)


class SignOutView(LogoutView):
    """Sign out by POST only (Django refuses GET), so a link or an image cannot sign anyone out.

    A session signed in through the force's identity provider is ended there too: the browser goes
    on to the provider's end-session page, which sends it back to the sign-in page.
    """

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        was_signed_in = request.user.is_authenticated
        at_provider = provider_sign_out_url(request) if was_signed_in else None
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, "You have signed out.")
        if at_provider:
            return HttpResponseRedirect(at_provider)
        return response


def _locked_out(request: HttpRequest, user: User) -> HttpResponse:
    logout(request)
    return lockout_response(request=request, user=user)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step of sign-in: the code from the authenticator app."""
    user = _user(request)
    device = totp_device_confirmed(user=user)
    if device is None:
        # Removed since this session signed in (in another session): nothing to ask for.
        session_has_device_set(request=request, has_device=False)
    if device is None or user.is_verified():  # type: ignore[attr-defined] # OTPMiddleware adds it
        return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)
    if sign_in_is_locked(request=request, user=user):
        return _locked_out(request, user)
    form = SecurityCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = user_two_factor_verify(request=request, user=user, device=device, code=form.cleaned_data["code"])
        if check is CodeCheck.RIGHT:
            return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)
        if check is CodeCheck.TOO_SOON:
            form.code_too_soon()
        else:
            if sign_in_failure_record(request=request, user=user):
                return _locked_out(request, user)
            form.code_wrong()
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), then enter a code from it."""
    user = _user(request)
    if totp_device_confirmed(user=user) is not None:
        messages.info(request, "You have already set up an authenticator app. Remove it first to set up another.")
        return redirect("accounts:account")
    device = user_two_factor_set_up_start(user=user)
    form = SecurityCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = user_two_factor_confirm(request=request, user=user, device=device, code=form.cleaned_data["code"])
        if check is CodeCheck.RIGHT:
            session_has_device_set(request=request, has_device=True)
            sign_in_attempts_reset(user=user)
            messages.success(request, "Your authenticator app is set up. You will need a code from it to sign in.")
            return redirect(_next_url(request) or "accounts:account")
        if check is CodeCheck.TOO_SOON:
            form.code_too_soon()
        else:
            form.code_wrong()
    context = {
        "form": form,
        "next": _next_url(request),
        # Markup drawn by qrcode from our own data (no user input is in it): see totp_qr_code_svg.
        "qr_code": mark_safe(totp_qr_code_svg(device=device)),  # noqa: S308
        "secret": totp_secret_base32(device=device),
        "required": settings.BLUESTONE_REQUIRE_TOTP,
    }
    return render(request, "accounts/two_factor_set_up.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    """Remove the authenticator app, with a current code from it."""
    user = _user(request)
    device = totp_device_confirmed(user=user)
    if device is None:
        return redirect("accounts:account")
    form = SecurityCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = user_two_factor_remove(user=user, device=device, code=form.cleaned_data["code"])
        if check is CodeCheck.RIGHT:
            session_has_device_set(request=request, has_device=False)
            messages.success(request, "You have removed your authenticator app.")
            return redirect("accounts:account")
        if check is CodeCheck.TOO_SOON:
            form.code_too_soon()
        else:
            if sign_in_failure_record(request=request, user=user):
                return _locked_out(request, user)
            form.code_wrong()
    return render(
        request, "accounts/two_factor_remove.html", {"form": form, "required": settings.BLUESTONE_REQUIRE_TOTP}
    )


@never_cache
@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    device = totp_device_confirmed(user=user)
    context = {
        "device": device,
        "required": settings.BLUESTONE_REQUIRE_TOTP,
        "signed_in_with_provider": session_is_single_sign_on(request),
        "idle_limit_seconds": settings.SESSION_COOKIE_AGE,
        "absolute_limit_seconds": settings.SESSION_ABSOLUTE_LIMIT_SECONDS,
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    user_sign_out_everywhere(user=_user(request))
    logout(request)
    messages.success(request, "You have signed out of Bluestone everywhere you were signed in.")
    return redirect(settings.LOGIN_URL)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Our page for a form sent without its security token (CSRF_FAILURE_VIEW)."""
    return render(request, "accounts/csrf_failure.html", status=403)
