from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bluestone.core.pseudonyms import age_band, case_key, person_pseudonym, pseudonym_code

CODE = re.compile(r"^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")


@given(st.uuids())
def test_a_pseudonym_is_stable_and_well_formed(record_id):
    first = pseudonym_code("person", record_id)

    assert first == pseudonym_code("person", str(record_id))
    assert CODE.match(first)


def test_different_records_and_kinds_get_different_codes():
    ids = [uuid.uuid4() for _ in range(2000)]

    assert len({pseudonym_code("person", i) for i in ids}) == len(ids)
    assert pseudonym_code("person", ids[0]) != pseudonym_code("case", ids[0])
    assert person_pseudonym(ids[0]).startswith("Person ")
    assert case_key(ids[0]).startswith("Case ")


def test_the_key_comes_from_the_setting_and_changes_every_code(settings):
    record = uuid.uuid4()
    derived = pseudonym_code("person", record)

    settings.BLUESTONE_PSEUDONYM_KEY = "a force's own pseudonym key"
    own = pseudonym_code("person", record)
    settings.BLUESTONE_PSEUDONYM_KEY = "another key"

    assert own != derived
    assert pseudonym_code("person", record) != own


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (dt.date(2014, 3, 4), "Under 13"),
        (dt.date(2013, 3, 3), "13 to 15"),
        (dt.date(2010, 3, 3), "16 to 17"),
        (dt.date(2008, 3, 3), "18 to 24"),
        (dt.date(1961, 3, 3), "65 and over"),
        (None, "Not known"),
        (dt.date(2030, 1, 1), "Not known"),
    ],
)
def test_age_bands(born, band):
    assert age_band(born, on=dt.date(2026, 3, 3)) == band
