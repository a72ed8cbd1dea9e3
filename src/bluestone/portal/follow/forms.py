"""Forms for "Follow my case". Plain words a 9-year-old can read; every error says what to do."""

from __future__ import annotations

from django import forms

from bluestone.core.forms import SafeTextMixin
from bluestone.victims.forms import Radios
from bluestone.victims.models import Channel, NotifyBy

AGREE = [
    ("5", "Strongly agree"),
    ("4", "Agree"),
    ("3", "Neither agree nor disagree"),
    ("2", "Disagree"),
    ("1", "Strongly disagree"),
]


class SignInForm(SafeTextMixin, forms.Form):
    reference = forms.CharField(
        label="Crime reference",
        help_text="Your officer gave you this. For example, BS/26/0001234",
        max_length=40,
        error_messages={"required": "Enter your crime reference."},
    )
    code = forms.CharField(
        label="Access code",
        help_text="The code your officer gave or sent you. For example, 7KQM-3XPT",
        max_length=20,
        error_messages={"required": "Enter your access code."},
    )
    check = forms.CharField(
        label="Your secret word",
        help_text="Leave this empty the first time you sign in. After that, enter the secret word you chose.",
        required=False,
        max_length=200,
    )


class SetCheckForm(SafeTextMixin, forms.Form):
    check = forms.CharField(
        label="Choose a secret word",
        help_text="Choose a word or phrase only you know, at least 6 letters or numbers long. "
        "You will need it every time you sign in.",
        max_length=200,
        error_messages={"required": "Choose a secret word."},
    )
    confirm = forms.CharField(
        label="Type your secret word again",
        max_length=200,
        error_messages={"required": "Type your secret word again."},
    )


class NewCodeForm(SafeTextMixin, forms.Form):
    reference = forms.CharField(
        label="Crime reference",
        help_text="For example, BS/26/0001234",
        max_length=40,
        error_messages={"required": "Enter your crime reference."},
    )


class MessageForm(SafeTextMixin, forms.Form):
    body = forms.CharField(
        label="Your message",
        help_text="Your officer will read it and reply in the way you chose.",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={
            "required": "Write your message.",
            "max_length": "Your message is too long. Make it shorter than 5,000 characters.",
        },
    )


class PreferencesForm(SafeTextMixin, forms.Form):
    channel = forms.ChoiceField(
        label="How should your officer contact you?",
        choices=Channel.choices,
        widget=Radios,
        error_messages={"required": "Choose how your officer should contact you."},
    )
    safe_phone = forms.CharField(label="A phone number that is safe to use (optional)", required=False, max_length=32)
    safe_email = forms.EmailField(
        label="An email address that is safe to use (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.com."},
    )
    safe_times = forms.CharField(label="When is it safe to contact you? (optional)", required=False, max_length=200)
    may_leave_message = forms.ChoiceField(
        label="Can your officer leave a message?",
        choices=[("yes", "Yes"), ("no", "No, never leave a message")],
        widget=Radios,
        error_messages={"required": "Choose if your officer can leave a message."},
    )
    notify_by = forms.ChoiceField(
        label="How should we tell you there is an update here?",
        help_text="The message only says you have an update. It never says anything about your case.",
        choices=NotifyBy.choices,
        widget=Radios,
        error_messages={"required": "Choose how we should tell you about updates."},
    )


def _question(label: str, what: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=AGREE, widget=Radios, error_messages={"required": f"Choose an answer about {what}."}
    )


class FeedbackForm(SafeTextMixin, forms.Form):
    voice = _question("The police listened to me and I could say what mattered to me", "being listened to")
    respect = _question("The police treated me with respect", "respect")
    neutrality = _question("The police were fair and made decisions for good reasons", "fairness")
    trustworthiness = _question("I trust the police to do the right thing in my case", "trust")
    overall = _question("Overall, I am happy with how the police dealt with my case", "how happy you are overall")
    comments = forms.CharField(
        label="Is there anything else you want to tell us? (optional)", required=False, widget=forms.Textarea
    )
