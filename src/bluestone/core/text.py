"""Input hygiene shared by every way text and dates come in: forms, the extract loader, the portal.

- Bidirectional controls (U+202A-U+202E embeddings and overrides, U+2066-U+2069 isolates) make text
  display in an order other than the one it was typed in: "exe.txt" can show as "txt.exe", a name
  can show as another. Typed text never needs them (the browser lays out Arabic or Hebrew on its
  own), so forms remove them and the loader refuses them.
- Control characters (C0 such as NUL, DEL, C1) have no place in a name or a note. Multi-line text
  keeps tab, line feed and carriage return.
- A date of birth is on or after 1 January 1900 and not in the future.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError

from bluestone.core import clock

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
BIDI_PATTERN = "[\u202a-\u202e\u2066-\u2069]"
# Written with escapes that both Python's re and RE2 (pyarrow's regular expressions) read.
CONTROL_PATTERN = r"[\x00-\x1f\x7f-\x9f]"
CONTROL_PATTERN_MULTILINE = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"

_BIDI = re.compile(BIDI_PATTERN)
_CONTROL = re.compile(CONTROL_PATTERN)
_CONTROL_MULTILINE = re.compile(CONTROL_PATTERN_MULTILINE)

EARLIEST_DATE_OF_BIRTH = dt.date(1900, 1, 1)


def without_bidi_controls(text: str) -> str:
    return _BIDI.sub("", text)


def text_problem(text: str, *, multiline: bool = False) -> str | None:
    """Why `text` cannot be stored as a name or note, or None when it can."""
    control = (_CONTROL_MULTILINE if multiline else _CONTROL).search(text)
    if control is not None:
        return f"holds a control character (U+{ord(control.group()):04X}), which text never needs; remove it."
    bidi = _BIDI.search(text)
    if bidi is not None:
        return (
            f"holds a text-direction control (U+{ord(bidi.group()):04X}), which can make it display as "
            "something else; remove it."
        )
    return None


def date_of_birth_problem(value: dt.date, *, today: dt.date | None = None) -> str | None:
    """Why `value` is not a believable date of birth, or None."""
    if value < EARLIEST_DATE_OF_BIRTH:
        return "A date of birth must be on or after 1 January 1900."
    if value > (today or clock.today()):
        return "A date of birth must be today or in the past."
    return None


def validate_date_of_birth(value: dt.date | None) -> None:
    """A form or model field validator: see `date_of_birth_problem`."""
    if value is None:
        return
    problem = date_of_birth_problem(value)
    if problem is not None:
        raise ValidationError(problem, code="date_of_birth")


def in_sentence(label: str) -> str:
    """A label written to stand alone ("Data from a victim's device (PCSCA 2022 s.37)") as it reads in
    the middle of a sentence: the first letter lower case, unless the first word is an abbreviation
    ("ISVA referral", "CPS"). Everything after it is kept as written, so abbreviations, names and
    references later in the label keep their capitals (str.lower would write "pcsca 2022 s.37")."""
    label = str(label)
    if not label:
        return label
    first_word = label.split(maxsplit=1)[0]
    capitals = sum(1 for character in first_word if character.isupper())
    if capitals > 1 or (len(first_word) == 1 and first_word != "A"):
        return label
    return label[0].lower() + label[1:]
