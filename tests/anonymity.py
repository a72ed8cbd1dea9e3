"""What identifies a victim, as one list for every anonymity test (Sexual Offences (Amendment) Act 1992).

`victim_secrets()` reads every victim in the database and returns what would identify them, in every
form Bluestone writes it: full names, each name alone (first, middle, surname) as a whole word, aliases,
identifiers (PNC ID, National Insurance, passport and driving licence numbers, spaced and compact), the
date of birth in every date format the pages use, addresses (and their first line), postcodes (spaced
and compact), phone numbers in every way they are written, and email addresses.

`give_victims_every_kind_of_identifier()` adds what a synthetic force does not give its victims (aliases,
National Insurance, passport and driving licence numbers), so that the list holds every kind.

Used by tests/test_anonymity.py and tests/suspects/test_anonymity.py; `found_in` is what they assert on,
for pages and for log records alike.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from django.apps import apps
from django.conf import settings

from bluestone.accounts.models import Officer, User
from bluestone.cases.models import IdentifierKind, PersonIdentifier, PersonRecord
from bluestone.cases.models import Role as InvolvementRole

# Month names are also first names ("May", "June"): pages write months, so a month alone says nothing
# about a victim (the full name "May Johnson" is still looked for).
MONTHS = frozenset(dt.date(2000, m, 1).strftime("%B") for m in range(1, 13))
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
# A CSRF token is random letters and digits: a short name ("Zo") can turn up inside one by chance.
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def date_forms(day: dt.date) -> set[str]:
    """A date as the pages may write it: GOV.UK ("3 March 1990"), numeric, ISO, and Django's default."""
    return {
        f"{day.day} {day:%B %Y}",  # the govuk_date filter, and date:"j F Y"
        f"{day:%d %B %Y}",
        f"{day.day} {day:%b %Y}",
        f"{day:%d/%m/%Y}",  # bail and form values
        f"{day.day}/{day.month}/{day.year}",
        day.isoformat(),  # <time datetime>, str(date), query strings
        f"{day:%B} {day.day}, {day.year}",  # Django's DATE_FORMAT ("N j, Y") for a date shown unfiltered
    }


def phone_forms(number: str) -> set[str]:
    """A UK phone number as stored and in the other ways people and systems write it."""
    digits = "".join(ch for ch in number if ch.isdigit())
    forms = {number}
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    if len(digits) == 11 and digits.startswith("0"):
        national = digits[1:]
        forms |= {
            digits,
            f"{digits[:5]} {digits[5:]}",
            f"{digits[:5]} {digits[5:8]} {digits[8:]}",
            f"+44{national}",
            f"+44 {national[:4]} {national[4:]}",
        }
    return forms


def postcode_forms(postcode: str) -> set[str]:
    compact = postcode.replace(" ", "").upper()
    return {postcode, compact, f"{compact[:-3]} {compact[-3:]}"}


def identifier_forms(value: str) -> set[str]:
    """An identifier as stored, compact, and (a National Insurance number) in pairs: "QQ 12 34 56 C"."""
    compact = value.replace(" ", "").upper()
    forms = {value, compact}
    if re.fullmatch(r"[A-Z]{2}\d{6}[A-D]", compact):
        forms.add(" ".join([compact[:2], compact[2:4], compact[4:6], compact[6:8], compact[8]]))
    return forms


_RUN = re.compile(r"[^\W_]+")
_TEMPLATE_CODE = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}|<[^>]*>", re.DOTALL)


@functools.cache
def _template_words() -> frozenset[str]:
    dirs = [cast("list[str]", engine.get("DIRS", [])) for engine in settings.TEMPLATES]
    folders = [Path(folder) for engine_dirs in dirs for folder in engine_dirs]
    folders += [Path(config.path) / "templates" for config in apps.get_app_configs()]
    words: set[str] = set()
    for folder in folders:
        for template in folder.rglob("*.html"):
            words |= set(_WORD.findall(_TEMPLATE_CODE.sub(" ", template.read_text(encoding="utf-8"))))
    for model in apps.get_models():
        for model_field in model._meta.fields:
            if model_field.choices:
                for _value, label in model_field.flatchoices:
                    words |= set(_WORD.findall(str(label)))
    return frozenset(words)


def ui_words() -> frozenset[str]:
    """The words pages print of their own: the templates' text ("Page 2 of 8", "Page not found"), the
    labels of every choice, and the categories the data is counted by (ethnicities: "White").

    A victim whose surname is one of them ("Page", "White") is still looked for by full name and by
    every other identifier, but the word alone on a page is the page's own text, not the victim.
    """
    categories = PersonRecord.objects.exclude(ethnicity="").values_list("ethnicity", flat=True).distinct()
    return _template_words() | {word for category in categories for word in _WORD.findall(category)}


def staff_names() -> set[str]:
    """Names the pages show by design: officers (the officer in the case to contact) and staff users
    (who started a run, who decided a link). A victim who shares one is looked for everywhere else."""
    names = set()
    for officer in Officer.objects.all():
        names |= {str(officer), f"{officer.first_name} {officer.last_name}"}
    names |= {user.get_full_name() for user in User.objects.all()}
    return {name for name in names if name.strip()}


def _alnum(char: str) -> bool:
    return char.isalnum()


def _occurs_whole(phrase: str, text: str) -> bool:
    """Whether `phrase` is in `text` as a whole: not part of a longer word or number ("5 March 1990"
    is not in "15 March 1990")."""
    start = text.find(phrase)
    while start >= 0:
        end = start + len(phrase)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (_alnum(phrase[0]) and _alnum(before)) and not (_alnum(phrase[-1]) and _alnum(after)):
            return True
        start = text.find(phrase, start + 1)
    return False


@dataclass
class Secrets:
    """What identifies the victims: phrases (names, dates, addresses, numbers: found whole, not inside
    a longer word or number) and single name words (found as whole words)."""

    strings: set[str] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    _runs: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _page_words: frozenset[str] | None = field(default=None, repr=False)

    def _phrases(self) -> dict[str, frozenset[str]]:
        """Each phrase with its runs of letters and digits: a page without all of them cannot hold it."""
        if len(self._runs) != len(self.strings | self.tokens):
            self._runs = {phrase: frozenset(_RUN.findall(phrase)) for phrase in self.strings | self.tokens}
        return self._runs

    def found_in(self, text: str, *, shown: Iterable[str] = (), except_words: Iterable[str] = ()) -> list[str]:
        """The secrets in `text`. `shown`: names the page may show (an officer's, a suspect's with a
        case need), taken out of the text first, so that a victim who shares one is still looked for
        everywhere else on the page. `except_words`: name words not to look for at all."""
        text = _CSRF.sub("", text)
        for name in sorted(shown, key=len, reverse=True):
            if name:
                text = text.replace(name, " ")
        runs = set(_RUN.findall(text))
        found = {phrase for phrase, needs in self._phrases().items() if needs <= runs and _occurs_whole(phrase, text)}
        if self._page_words is None:
            self._page_words = ui_words()
        found |= (self.words - set(except_words) - self._page_words) & set(_WORD.findall(text))
        return sorted(found)

    def found_in_logs(self, records: Iterable[logging.LogRecord]) -> list[str]:
        """Secrets in any log record: its message and any traceback, as a handler would write them."""
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        texts = [(record.name, formatter.format(record)) for record in records]
        if not self.found_in("\n".join(text for _, text in texts)):
            return []  # one look at them all; record by record only to say which
        return [f"{name}: {found[:5]}" for name, text in texts if (found := self.found_in(text))]


def _add_names(secrets: Secrets, person: PersonRecord) -> None:
    if person.first_name and person.last_name:
        secrets.strings.add(f"{person.first_name} {person.last_name}")
    if " " in person.full_name:
        secrets.strings.add(person.full_name)
    for part in (person.first_name, person.last_name, *person.middle_names.split()):
        # A lone initial ("A") identifies nobody and is in every page's text.
        if len(part) > 1 and part not in MONTHS:
            secrets.words.add(part)
    for alias in (str(a).strip() for a in person.aliases or []):
        if " " in alias:
            secrets.strings.add(alias)
        elif len(alias) > 1 and alias not in MONTHS:
            secrets.words.add(alias)


def _add_contact(secrets: Secrets, person: PersonRecord) -> None:
    for address in person.addresses.all():
        if address.address:
            secrets.strings.add(address.address)
            first_line = address.address.split(",")[0].strip()
            if re.search(r"\d", first_line) and " " in first_line:
                secrets.strings.add(first_line)
        if address.postcode:
            secrets.tokens |= postcode_forms(address.postcode)
    secrets.tokens |= {form for phone in person.phones.all() if phone.number for form in phone_forms(phone.number)}
    secrets.strings |= {form for e in person.emails.all() if e.address for form in (e.address, e.address.lower())}


def _add_person(secrets: Secrets, person: PersonRecord) -> None:
    _add_names(secrets, person)
    if person.date_of_birth:
        secrets.strings |= date_forms(person.date_of_birth)
    _add_contact(secrets, person)
    for identifier in person.identifiers.all():
        if identifier.value:
            secrets.tokens |= identifier_forms(identifier.value)


def victim_secrets() -> Secrets:
    """Everything that identifies any victim in the database, in every form the pages write it."""
    secrets = Secrets()
    victims = (
        PersonRecord.objects.filter(involvements__role=InvolvementRole.VICTIM)
        .distinct()
        .prefetch_related("addresses", "phones", "emails", "identifiers")
    )
    for person in victims:
        _add_person(secrets, person)
    return secrets


def give_victims_every_kind_of_identifier(count: int = 12) -> list[PersonRecord]:
    """Give `count` named victims an alias, a National Insurance, passport and driving licence number.

    A synthetic force records PNC IDs only, and aliases only for suspects; a real one records all of
    them for victims too. The values are of the documented fictitious forms (the QQ prefix is never
    issued), distinct for each victim.
    """
    people = list(
        PersonRecord.objects.filter(involvements__role=InvolvementRole.VICTIM)
        .exclude(first_name="")
        .exclude(last_name="")
        .distinct()
        .order_by("pk")[:count]
    )
    assert len(people) == count, "the force should have enough named victims"
    for n, person in enumerate(people):
        person.aliases = [*(person.aliases or []), f"Quenby {person.last_name}", f"Ysol{chr(ord('a') + n % 26)}e"]
        person.save(update_fields=["aliases"])
        surname = (person.last_name.upper() + "99999")[:5]
        PersonIdentifier.objects.bulk_create(
            [
                PersonIdentifier(person=person, kind=IdentifierKind.NI_NUMBER, value=f"QQ{n:02d}{n:02d}{n:02d}C"),
                PersonIdentifier(person=person, kind=IdentifierKind.PASSPORT, value=f"9{n:02d}417{n:03d}"),
                PersonIdentifier(
                    person=person, kind=IdentifierKind.DRIVING_LICENCE, value=f"{surname}704{n:02d}1QQ9AB"
                ),
            ]
        )
    return people
