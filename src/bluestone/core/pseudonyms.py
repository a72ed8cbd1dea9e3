"""Stable pseudonyms for analysts: the same record gets the same pseudonym every time, and nobody
without the key can go from a pseudonym back to the record or from a record to its pseudonym.

A pseudonym is HMAC-SHA256 of the record's kind and UUID under a key, cut to 60 bits and written in
a 32-symbol alphabet with no look-alike characters (no 0/O, no 1/I): "Person 7F3K-92QD-H4MX". At 60
bits two records of a national dataset (tens of millions) share a pseudonym with a probability of
about one in a thousand million, so analysts can treat equal pseudonyms as the same record.

The key is `BLUESTONE_PSEUDONYM_KEY`. Without it the key is derived from SECRET_KEY, which works, but
then rotating SECRET_KEY (as a force should after a leak) changes every pseudonym: production should
set its own key and keep it as carefully as SECRET_KEY, because with the key and the records anyone
can re-identify a pseudonym by trying every record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import uuid

from django.conf import settings

# 32 symbols: no 0 or 1, so no O or I to mistake them for.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_GROUPS = 3
_GROUP_LENGTH = 4
_DERIVATION_LABEL = b"bluestone.core.pseudonyms.v1"


def _key() -> bytes:
    configured: str = getattr(settings, "BLUESTONE_PSEUDONYM_KEY", "") or ""
    if configured:
        return configured.encode()
    # Domain separation: the derived key is useless for anything SECRET_KEY signs, and vice versa.
    return hmac.new(settings.SECRET_KEY.encode(), _DERIVATION_LABEL, hashlib.sha256).digest()


def pseudonym_code(kind: str, record_id: uuid.UUID | str) -> str:
    """The bare code, for example "7F3K-92QD-H4MX". `kind` keeps codes of different record types apart."""
    message = f"{kind}:{uuid.UUID(str(record_id))}".encode()
    digest = hmac.new(_key(), message, hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big") >> 4  # 60 bits
    symbols = []
    for _ in range(_GROUPS * _GROUP_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        symbols.append(ALPHABET[index])
    text = "".join(symbols)
    return "-".join(text[i : i + _GROUP_LENGTH] for i in range(0, len(text), _GROUP_LENGTH))


def person_pseudonym(person_id: uuid.UUID | str) -> str:
    """ "Person 7F3K-92QD-H4MX": one person record (not one real person; linkage joins those up)."""
    return f"Person {pseudonym_code('person', person_id)}"


def case_key(case_id: uuid.UUID | str) -> str:
    """ "Case 7F3K-92QD-H4MX": shown to analysts instead of the crime reference.

    A crime reference is not personal data in itself, but it is quoted in court lists and press
    reports, where it can lead back to a complainant; the case key means nothing outside Bluestone.
    """
    return f"Case {pseudonym_code('case', case_id)}"


# Bands wide enough not to single anyone out, split where the law or the offence classes split.
AGE_BANDS: list[tuple[int, str]] = [
    (13, "Under 13"),
    (16, "13 to 15"),
    (18, "16 to 17"),
    (25, "18 to 24"),
    (35, "25 to 34"),
    (45, "35 to 44"),
    (55, "45 to 54"),
    (65, "55 to 64"),
]


def age_band(date_of_birth: dt.date | None, *, on: dt.date) -> str:
    """The age band of someone born on `date_of_birth` on the day `on`, never the age itself."""
    if date_of_birth is None:
        return "Not known"
    age = on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    if age < 0:
        return "Not known"
    for upper, label in AGE_BANDS:
        if age < upper:
            return label
    return "65 and over"
