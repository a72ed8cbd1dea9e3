"""The pages of "Follow my case". Every view is wrapped by portal_page (portal/urls.py): the staff
session is never used and nothing is cached. The visitor comes from the portal's own signed cookie,
never from the address: no URL here holds a reference, an id or anything personal."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from bluestone.core.templatetags.bluestone import govuk_time
from bluestone.portal.follow import forms as follow_forms
from bluestone.portal.follow.selectors import follow_feedback_given, follow_messages, follow_updates
from bluestone.portal.follow.services import (
    SessionEnded,
    TooManyTries,
    Visitor,
    follow_check_set,
    follow_new_code_request,
    follow_page_view_record,
    follow_session_get,
    follow_sign_in,
    follow_sign_out,
    visitor_details,
)
from bluestone.victims.services import feedback_record, portal_message_send, victim_profile_update

COOKIE = "portal_follow"
COOKIE_PATH = "/portal/"
COOKIE_SALT = "bluestone.portal.follow"
SIGN_IN = "portal:follow-sign-in"

FollowView = Callable[..., HttpResponse]


def token(request: HttpRequest) -> str | None:
    token: str | None = request.get_signed_cookie(COOKIE, default=None, salt=COOKIE_SALT)
    return token


def _forget(response: HttpResponse) -> HttpResponse:
    response.delete_cookie(COOKIE, path=COOKIE_PATH, samesite="Strict")
    return response


def visitor_required(*, page: str, allow_unset_check: bool = False) -> Callable[[FollowView], FollowView]:
    """Load the signed-in victim or send them to sign in; log the page as a consultation on GET."""

    def decorate(view: FollowView) -> FollowView:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                visitor = follow_session_get(token=token(request))
            except SessionEnded:
                return _forget(redirect(reverse(SIGN_IN) + "?signed-out=idle"))
            if visitor is None:
                return _forget(redirect(SIGN_IN))
            if visitor.session.needs_check and not allow_unset_check:
                return redirect("portal:follow-set-check")
            if request.method == "GET":
                follow_page_view_record(visitor=visitor, page=page, request=request)
            return view(request, visitor, *args, **kwargs)

        return wrapped

    return decorate


def _apply_errors(form: Form, error: ValidationError) -> None:
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


def _page(
    request: HttpRequest, template: str, visitor: Visitor, context: dict[str, Any], *, current: str
) -> HttpResponse:
    context = {**context, **visitor_details(visitor), "current": current, "signed_in": True}
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = follow_forms.SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            signed_in = follow_sign_in(
                reference=form.cleaned_data["reference"],
                code=form.cleaned_data["code"],
                check=form.cleaned_data["check"],
                request=request,
            )
        except TooManyTries as held:
            if held.why == "slowed":
                message = (
                    "There have been a lot of wrong tries at signing in to this case. Wait a minute and try "
                    "again, or call 101 and ask for your officer."
                )
            else:
                message = (
                    f"You have tried too many times. Wait until {govuk_time(held.until)} and try again, "
                    "or call 101 and ask for your officer."
                )
            form.add_error(None, message)
            status = 429
        else:
            if signed_in is None:
                form.add_error(
                    None,
                    "The details you entered do not match. Check your crime reference, access code and "
                    "secret word, then try again.",
                )
            else:
                target = "portal:follow-set-check" if signed_in.needs_check else "portal:follow-updates"
                response = redirect(target)
                # No max_age: gone when the browser closes. Strict: never sent from another site's link.
                response.set_signed_cookie(
                    COOKIE,
                    signed_in.token,
                    salt=COOKIE_SALT,
                    path=COOKIE_PATH,
                    httponly=True,
                    samesite="Strict",
                    secure=request.is_secure(),
                )
                return response
    context = {"form": form, "signed_out": request.GET.get("signed-out", "")}
    return render(request, "portal/follow/sign_in.html", context, status=status)


@require_http_methods(["GET", "POST"])
@visitor_required(page="set secret word", allow_unset_check=True)
def set_check(request: HttpRequest, visitor: Visitor) -> HttpResponse:
    if not visitor.session.needs_check:
        return redirect("portal:follow-updates")
    form = follow_forms.SetCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_check_set(
                visitor=visitor, check=form.cleaned_data["check"], confirm=form.cleaned_data["confirm"], request=request
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect("portal:follow-updates")
    return render(request, "portal/follow/set_check.html", {"form": form})


@require_http_methods(["GET"])
@visitor_required(page="updates")
def updates(request: HttpRequest, visitor: Visitor) -> HttpResponse:
    return _page(
        request, "portal/follow/updates.html", visitor, {"updates": follow_updates(visitor=visitor)}, current="updates"
    )


@require_http_methods(["GET", "POST"])
@visitor_required(page="messages")
def messages_page(request: HttpRequest, visitor: Visitor) -> HttpResponse:
    form = follow_forms.MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            portal_message_send(profile=visitor.profile, body=form.cleaned_data["body"], request=request)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect(reverse("portal:follow-messages") + "?sent=1")
    context = {"form": form, "sent_messages": follow_messages(visitor=visitor), "sent": request.GET.get("sent") == "1"}
    return _page(request, "portal/follow/messages.html", visitor, context, current="messages")


@require_http_methods(["GET", "POST"])
@visitor_required(page="contact preferences")
def preferences(request: HttpRequest, visitor: Visitor) -> HttpResponse:
    profile = visitor.profile
    initial = {
        "channel": profile.channel,
        "safe_phone": profile.safe_phone,
        "safe_email": profile.safe_email,
        "safe_times": profile.safe_times,
        "may_leave_message": "yes" if profile.may_leave_message else "no",
        "notify_by": profile.notify_by,
    }
    form = follow_forms.PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {**form.cleaned_data, "may_leave_message": form.cleaned_data["may_leave_message"] == "yes"}
        try:
            victim_profile_update(actor=None, profile=profile, changes=changes, request=request, surface="portal")
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect(reverse("portal:follow-preferences") + "?saved=1")
    context = {"form": form, "saved": request.GET.get("saved") == "1"}
    return _page(request, "portal/follow/preferences.html", visitor, context, current="preferences")


@require_http_methods(["GET", "POST"])
@visitor_required(page="feedback")
def feedback(request: HttpRequest, visitor: Visitor) -> HttpResponse:
    form = follow_forms.FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = {
            name: int(form.cleaned_data[name])
            for name in ("voice", "respect", "neutrality", "trustworthiness", "overall")
        }
        try:
            feedback_record(
                profile=visitor.profile, answers=answers, comments=form.cleaned_data["comments"], request=request
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect(reverse("portal:follow-feedback") + "?sent=1")
    context = {
        "form": form,
        "sent": request.GET.get("sent") == "1",
        "given_before": follow_feedback_given(visitor=visitor),
    }
    return _page(request, "portal/follow/feedback.html", visitor, context, current="feedback")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    try:
        visitor = follow_session_get(token=token(request))
    except SessionEnded:
        visitor = None
    if visitor is not None:
        follow_sign_out(visitor=visitor, request=request)
    return _forget(redirect(reverse(SIGN_IN) + "?signed-out=yes"))


@require_http_methods(["GET", "POST"])
def new_code(request: HttpRequest) -> HttpResponse:
    form = follow_forms.NewCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_new_code_request(reference=form.cleaned_data["reference"], request=request)
        except TooManyTries as locked:
            form.add_error(None, f"You have asked too many times. Wait until {govuk_time(locked.until)} and try again.")
        else:
            # The same page whether or not the reference exists or a code was sent.
            return render(request, "portal/follow/new_code_sent.html")
    return render(request, "portal/follow/new_code.html", {"form": form})
