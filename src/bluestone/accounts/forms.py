from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from bluestone.accounts.otp import CODE_LENGTH
from bluestone.core.forms import SafeTextMixin

CODE_FORMAT_MESSAGE = f"Enter the security code as {CODE_LENGTH} numbers, such as 123456"


class SignInForm(SafeTextMixin, AuthenticationForm):
    # One message for a wrong username, a wrong password and a disabled account, so that the
    # page never tells anyone whether a username exists.
    error_messages = {
        "invalid_login": "The username or password is not right. Check them and try again.",
        "inactive": "The username or password is not right. Check them and try again.",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class SecurityCodeForm(SafeTextMixin, forms.Form):
    """A 6-digit code from an authenticator app; spaces and dashes, as some apps show them, are ignored."""

    code = forms.CharField(label="Security code", max_length=20, strip=True)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["code"].error_messages["required"] = "Enter the security code from your authenticator app"
        self.fields["code"].error_messages["max_length"] = CODE_FORMAT_MESSAGE

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].replace("-", " ").split())
        if len(code) != CODE_LENGTH or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(CODE_FORMAT_MESSAGE)
        return code

    def code_wrong(self) -> None:
        self.add_error("code", "The security code is not right. Enter the code your authenticator app shows now.")

    def code_too_soon(self) -> None:
        self.add_error("code", "Wait a few seconds, then enter the code your authenticator app shows now.")
