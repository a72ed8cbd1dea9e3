"""People: true persons with stable attributes, and the person records that reports make of them.

A true person is drawn once; every report that involves them makes a fresh record, with the
differences real records have (typos, nicknames, swapped names, moves, new phones, missing
details). Linkage must find the true person behind the records; the ground truth says who it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bluestone.synth._cases import DAYS_PER_YEAR, Force
from bluestone.synth._reference import BoolArray, FloatArray, IntArray, ObjArray, Reference, blank

VICTIM, SUSPECT, WITNESS, REPORTER = 0, 1, 2, 3
ROLES = np.array(["victim", "suspect", "witness", "reporter"], dtype=object)

# ONS Census 2021, England and Wales, high-level ethnic groups.
ETHNICITIES = np.array(
    [
        "White",
        "Asian or Asian British",
        "Black, Black British, Caribbean or African",
        "Mixed or multiple ethnic groups",
        "Other ethnic group",
    ],
    dtype=object,
)
ETHNICITY_P = np.array([0.817, 0.093, 0.040, 0.029, 0.021])

STREET_SUFFIXES = np.array(
    ["Road", "Street", "Lane", "Close", "Avenue", "Drive", "Way", "Crescent", "Gardens", "Terrace", "Grove", "Court"],
    dtype=object,
)
SUFFIX_ABBREVIATIONS = np.array(
    ["Rd", "St", "Ln", "Cl", "Ave", "Dr", "Way", "Cres", "Gdns", "Terr", "Gr", "Ct"], dtype=object
)
# Letters Royal Mail uses in the inward part of a postcode.
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# "QX" cannot be a real postcode area: Royal Mail never uses Q as the first letter.
POSTCODE_AREA = "QX"
EMAIL_DOMAINS = np.array(["example.com", "example.org", "example.net"], dtype=object)
# Letters of the PNC ID check character, indexed by the number modulo 23.
PNC_CHECK = "ZABCDEFGHJKLMNPQRTUVWXY"
# How often a repeat suspect has 2, 3, ... 12 records: mostly two, sometimes many.
REPEAT_COUNTS = np.arange(2, 13)
REPEAT_COUNT_P = np.array([0.60, 0.20, 0.07, 0.05] + [0.08 / 7] * 7)


@dataclass
class People:
    record_case: IntArray
    record_role: IntArray
    record_true: IntArray  # renumbered 0..T-1 in a random order
    columns: dict[str, ObjArray]


@dataclass
class _Truth:
    """Attributes of every candidate true person (some are never used and are dropped)."""

    female: BoolArray
    named: BoolArray
    first: ObjArray
    middle: ObjArray
    last: ObjArray
    dob: IntArray  # -1 when unknown
    ethnicity: IntArray
    street: IntArray
    house: IntArray
    phone: IntArray
    email: ObjArray
    pnc: ObjArray
    alias: ObjArray


@dataclass
class _Streets:
    names: ObjArray  # without the suffix
    suffix: IntArray
    town: ObjArray
    postcode: ObjArray


def make_streets(rng: np.random.Generator, ref: Reference, count: int = 1500) -> _Streets:
    places = ref.places
    stem = rng.integers(0, len(places.street_stems), size=count)
    suffix = rng.integers(0, len(STREET_SUFFIXES), size=count)
    town = rng.choice(len(places.towns), size=count, p=places.town_p)
    district = rng.integers(places.first_district[town], places.last_district[town] + 1)
    sector = rng.integers(1, 10, size=count)
    letters = rng.integers(0, len(INWARD_LETTERS), size=(count, 2))
    postcode = np.array(
        [
            f"{POSTCODE_AREA}{d} {s}{INWARD_LETTERS[a]}{INWARD_LETTERS[b]}"
            for d, s, a, b in zip(district, sector, letters[:, 0], letters[:, 1], strict=True)
        ],
        dtype=object,
    )
    return _Streets(places.street_stems[stem], suffix, places.towns[town], postcode)


def _repeat_counts(rng: np.random.Generator, slots: int, share: float) -> IntArray:
    """Records per distinct named suspect, so that about `share` of them have more than one."""
    if slots == 0:
        return np.zeros(0, dtype=np.int64)
    mean = float((REPEAT_COUNTS * REPEAT_COUNT_P).sum())
    repeaters = round(share * slots / (1 - share + share * mean))
    counts = rng.choice(REPEAT_COUNTS, size=repeaters, p=REPEAT_COUNT_P)
    counts = counts[np.cumsum(counts) <= slots]
    singles = slots - int(counts.sum())
    return np.concatenate([counts, np.ones(singles, dtype=np.int64)])


def build_people(
    *,
    rng: np.random.Generator,
    ref: Reference,
    force: Force,
    streets: _Streets,
    end_day: int,
    repeat_suspect_share: float,
    repeat_victim_share: float,
) -> People:
    n = force.n
    suspect_cases = np.flatnonzero(force.suspect_kind > 0)
    witness_cases = np.flatnonzero(force.has_witness)
    reporter_cases = np.flatnonzero(force.has_reporter)
    named_slot = force.suspect_kind[suspect_cases] == 2  # noqa: PLR2004

    # Candidate true persons: one per victim slot, then named suspects, then one per other slot.
    victim_true = _victims(rng, ref, force, repeat_victim_share)
    counts = _repeat_counts(rng, int(named_slot.sum()), repeat_suspect_share)
    n_named = len(counts)
    suspect_true = np.empty(len(suspect_cases), dtype=np.int64)
    suspect_true[named_slot] = n + rng.permutation(np.repeat(np.arange(n_named), counts))
    n_unnamed = int((~named_slot).sum())
    suspect_true[~named_slot] = n + n_named + np.arange(n_unnamed)
    base = n + n_named + n_unnamed
    witness_true = base + np.arange(len(witness_cases))
    reporter_true = base + len(witness_cases) + np.arange(len(reporter_cases))
    total = base + len(witness_cases) + len(reporter_cases)

    # Who each candidate is.
    kind = np.concatenate(
        [
            np.full(n, VICTIM),
            np.full(n_named, SUSPECT),
            np.full(n_unnamed, -SUSPECT),
            np.full(len(witness_cases), WITNESS),
            np.full(len(reporter_cases), REPORTER),
        ]
    )
    female = np.concatenate(
        [
            force.victim_female,
            rng.random(n_named + n_unnamed) < 0.04,  # noqa: PLR2004 (sexual offence suspects are almost all men)
            rng.random(len(witness_cases)) < 0.55,  # noqa: PLR2004
            rng.random(len(reporter_cases)) < 0.7,  # noqa: PLR2004
        ]
    )
    # A named suspect was at least about 15 at each offence: take the earliest birth date that allows it.
    slot_dob = force.offence_from[suspect_cases] - ((15 + rng.gamma(2.2, 8.0, size=len(suspect_cases))) * DAYS_PER_YEAR)
    suspect_dob = np.full(n_named, np.iinfo(np.int64).max)
    np.minimum.at(suspect_dob, suspect_true[named_slot] - n, slot_dob[named_slot].astype(np.int64))
    adults = len(witness_cases) + len(reporter_cases)
    adult_dob = end_day - ((18 + rng.gamma(2.0, 10.0, size=adults)) * DAYS_PER_YEAR).astype(np.int64)
    dob = np.concatenate([force.victim_dob, suspect_dob, np.full(n_unnamed, -1), adult_dob])

    truth = _truth(rng, ref, streets, female=female, named=kind != -SUSPECT, dob=dob, kind=kind, counts=counts, n=n)

    record_case = np.concatenate([np.arange(n), suspect_cases, witness_cases, reporter_cases])
    record_role = np.concatenate(
        [
            np.full(n, VICTIM),
            np.full(len(suspect_cases), SUSPECT),
            np.full(len(witness_cases), WITNESS),
            np.full(len(reporter_cases), REPORTER),
        ]
    )
    record_true = np.concatenate([victim_true, suspect_true, witness_true, reporter_true])
    order = np.lexsort((record_role, record_case))
    record_case, record_role, record_true = record_case[order], record_role[order], record_true[order]
    columns = _records(rng, ref, streets, truth, true=record_true, role=record_role)

    used, inverse = np.unique(record_true, return_inverse=True)
    # Number true persons in a random order, so an id says nothing about role or first appearance.
    renumbered = rng.permutation(len(used))[inverse]
    assert total >= len(used)  # noqa: S101 (an internal invariant, not input validation)
    return People(record_case, record_role, renumbered, columns)


def _victims(rng: np.random.Generator, ref: Reference, force: Force, share: float) -> IntArray:
    """The true victim of each case: mostly their own, a few the same person as in another report.

    Only adult classes repeat, and only where the earlier victim's date of birth fits the later
    offence class, so a repeat victim never breaks the class's age band.
    """
    n = force.n
    true = np.arange(n)
    adult = np.flatnonzero(~force.child)
    k = min(len(adult) // 2, round(share * n / (1 + share)))
    if k == 0:
        return true
    shuffled = rng.permutation(adult)
    repeats, sources = shuffled[:k], shuffled[k:]
    for female in (False, True):
        these = repeats[force.victim_female[repeats] == female]
        pool = sources[force.victim_female[sources] == female]
        if len(these) == 0 or len(pool) == 0:
            continue
        picked = pool[rng.integers(0, len(pool), size=len(these))]
        fits = _age_fits(force, these, force.victim_dob[picked], ref)
        true[these[fits]] = picked[fits]
    return true


def _age_fits(force: Force, cases: IntArray, dob: IntArray, ref: Reference) -> BoolArray:
    offence = force.offence[cases]
    age = (force.offence_from[cases] - dob) / DAYS_PER_YEAR
    return (age >= ref.offences.min_age[offence]) & (age < ref.offences.max_age[offence] + 1)


def _truth(
    rng: np.random.Generator,
    ref: Reference,
    streets: _Streets,
    *,
    female: BoolArray,
    named: BoolArray,
    dob: IntArray,
    kind: IntArray,
    counts: IntArray,
    n: int,
) -> _Truth:
    total = len(female)
    first = np.where(female, ref.female.names[ref.female.draw(rng, total)], ref.male.names[ref.male.draw(rng, total)])
    second = np.where(female, ref.female.names[ref.female.draw(rng, total)], ref.male.names[ref.male.draw(rng, total)])
    third = np.where(female, ref.female.names[ref.female.draw(rng, total)], ref.male.names[ref.male.draw(rng, total)])
    n_middle = rng.choice(3, size=total, p=[0.35, 0.55, 0.10])
    middle = blank(n_middle == 0, np.where(n_middle == 1, second, second + " " + third))
    last = ref.surnames.names[ref.surnames.draw(rng, total)]
    # Suspects who appear more often are more likely to have a criminal record (a PNC ID).
    repeats = np.zeros(total, dtype=np.int64)
    repeats[n : n + len(counts)] = counts
    p_pnc = np.where(kind == SUSPECT, np.where(repeats > 1, 0.65, 0.3), np.where(kind == VICTIM, 0.02, 0.0))
    has_pnc = rng.random(total) < p_pnc
    pnc_year = rng.integers(1990, 2026, size=total)
    pnc_serial = rng.integers(1, 1_000_000, size=total)
    pnc_check = np.array(list(PNC_CHECK), dtype=object)[((pnc_year % 100) * 10_000_000 + pnc_serial) % 23]
    pnc = np.full(total, None, dtype=object)
    rows = np.flatnonzero(has_pnc & named)
    pnc[rows] = [f"{y}/{s:07d}{c}" for y, s, c in zip(pnc_year[rows], pnc_serial[rows], pnc_check[rows], strict=True)]
    # Aliases: another first name, or another surname, used by some suspects.
    alias = np.full(total, None, dtype=object)
    rows = np.flatnonzero((kind == SUSPECT) & (rng.random(total) < 0.12))  # noqa: PLR2004
    other_last = ref.surnames.names[ref.surnames.draw(rng, len(rows))]
    alias[rows] = np.where(rng.random(len(rows)) < 0.5, third[rows] + " " + last[rows], first[rows] + " " + other_last)  # noqa: PLR2004

    email = _emails(rng, first, last, rng.integers(0, 3, size=total))
    return _Truth(
        female=female,
        named=named,
        first=first,
        middle=middle,
        last=last,
        dob=dob,
        ethnicity=rng.choice(len(ETHNICITIES), size=total, p=ETHNICITY_P),
        street=rng.integers(0, len(streets.names), size=total),
        house=1 + rng.geometric(0.03, size=total),
        phone=rng.integers(0, 1_000_000, size=total),
        email=email,
        pnc=pnc,
        alias=alias,
    )


def _plain(value: str) -> str:
    return "".join(ch for ch in value.lower() if ch.isalpha())


def _emails(rng: np.random.Generator, first: ObjArray, last: ObjArray, form: IntArray) -> ObjArray:
    size = len(first)
    number = rng.integers(0, 100, size=size)
    with_number = rng.random(size) < 0.6  # noqa: PLR2004
    domain = EMAIL_DOMAINS[rng.integers(0, len(EMAIL_DOMAINS), size=size)]
    # Names repeat a great deal, so each is cleaned once.
    plain = {name: _plain(name) for name in {*first, *last}}
    out = []
    for f_name, l_name, k, num, has, dom in zip(first, last, form, number, with_number, domain, strict=True):
        f, la = plain[f_name], plain[l_name]
        user = f"{f}.{la}" if k == 0 else f"{f[0]}{la}" if k == 1 else f"{la}.{f}"
        out.append(f"{user}{num:02d}@{dom}" if has else f"{user}@{dom}")
    return np.array(out, dtype=object)


def _typo(word: str, op: int, where: float, letter: int) -> str:
    """One keying error: a wrong letter, a dropped letter, two letters swapped, or a letter doubled."""
    if len(word) < 3:  # noqa: PLR2004
        return word + "abcdefghijklmnopqrstuvwxyz"[letter]
    i = 1 + int(where * (len(word) - 2))  # first letters are seldom mistyped
    if op == 0:
        return word[:i] + "abcdefghijklmnopqrstuvwxyz"[letter] + word[i + 1 :]
    if op == 1:
        return word[:i] + word[i + 1 :]
    if op == 2:  # noqa: PLR2004
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[: i + 1] + word[i:]


def _apply_typos(rng: np.random.Generator, values: ObjArray, rate: float) -> int:
    rows = np.flatnonzero((rng.random(len(values)) < rate) & (values != None))  # noqa: E711 (element-wise)
    ops = rng.integers(0, 4, size=len(rows))
    where = rng.random(len(rows))
    letters = rng.integers(0, 26, size=len(rows))
    for r, op, w, le in zip(rows, ops, where, letters, strict=True):
        values[r] = _typo(values[r], int(op), float(w), int(le))
    return len(rows)


def _by_role(role: IntArray, rates: tuple[float, float, float, float]) -> FloatArray:
    return np.asarray(np.array(rates)[role], dtype=np.float64)


def _records(
    rng: np.random.Generator,
    ref: Reference,
    streets: _Streets,
    truth: _Truth,
    *,
    true: IntArray,
    role: IntArray,
) -> dict[str, ObjArray]:
    size = len(true)
    named = truth.named[true]
    first = truth.first[true].copy()
    last = truth.last[true].copy()

    # Nicknames: "Robert" written as "Bob" on some reports.
    rows = np.flatnonzero(rng.random(size) < 0.15)  # noqa: PLR2004
    picks = rng.random(len(rows))
    for r, u in zip(rows, picks, strict=True):
        options = ref.nicknames.get(first[r].lower())
        if options:
            first[r] = options[int(u * len(options))]
    _apply_typos(rng, first, 0.05)
    _apply_typos(rng, last, 0.06)
    swap = rng.random(size) < 0.02  # noqa: PLR2004
    first[swap], last[swap] = last[swap], first[swap].copy()

    middle_true = truth.middle[true]
    middle_draw = rng.random(size)
    initials = np.array([m[0] if m else None for m in middle_true], dtype=object)
    middle = np.where(middle_draw < 0.55, middle_true, blank(middle_draw >= 0.65, initials))  # noqa: PLR2004

    only_last = rng.random(size) < _by_role(role, (0.01, 0.04, 0.02, 0.02))
    only_first = ~only_last & (rng.random(size) < _by_role(role, (0.005, 0.04, 0.03, 0.02)))
    first = blank(only_last, first)
    last = blank(only_first, last)

    dob = truth.dob[true].copy()
    dob_missing = (dob < 0) | (rng.random(size) < _by_role(role, (0.04, 0.15, 0.30, 0.40)))
    dob = _vary_dates(rng, dob)

    gender_draw = rng.random(size)
    gender = np.where(truth.female[true], "female", "male").astype(object)
    gender = np.where(gender_draw < 0.015, "unknown", blank(gender_draw < 0.02, gender))  # noqa: PLR2004
    gender = np.where(~named & (rng.random(size) < 0.2), "unknown", gender)  # noqa: PLR2004

    ethnicity = blank(rng.random(size) < 0.12, ETHNICITIES[truth.ethnicity[true]])  # noqa: PLR2004
    address, postcode = _addresses(rng, streets, truth, true)
    phone = _phones(rng, truth, true, role)
    email = truth.email[true].copy()
    changed = np.flatnonzero(rng.random(size) < 0.15)  # noqa: PLR2004
    email[changed] = _emails(rng, truth.first[true[changed]], truth.last[true[changed]], np.full(len(changed), 0))
    shouted = np.flatnonzero(rng.random(size) < 0.05)  # noqa: PLR2004
    email[shouted] = [e.capitalize() for e in email[shouted]]
    email = blank(rng.random(size) < _by_role(role, (0.35, 0.55, 0.5, 0.3)), email)

    pnc = truth.pnc[true].copy()
    short = np.flatnonzero((pnc != None) & (rng.random(size) < 0.25))  # noqa: E711, PLR2004
    # The two-digit-year form with the serial's leading zeros dropped, as often keyed.
    pnc[short] = [f"{p[2:4]}/{int(p[5:12])}{p[12]}" for p in pnc[short]]
    pnc = blank(rng.random(size) < 0.25, pnc)  # noqa: PLR2004
    aliases = blank(rng.random(size) >= 0.7, truth.alias[true])  # noqa: PLR2004

    dob_missing = _keep_a_strong_identifier(
        truth,
        true=true,
        named=named,
        dob=dob,
        dob_missing=dob_missing,
        keys=(_postcode_keys(postcode), _phone_keys(phone), _email_keys(email), _present_keys(pnc)),
    )

    # Unnamed suspects have a description, not details.
    return {
        "first_name": blank(~named, first),
        "middle_names": blank(~named, middle),
        "last_name": blank(~named, last),
        "aliases": blank(~named, aliases),
        "date_of_birth": blank(~named | dob_missing, dob),
        "gender": gender,
        "ethnicity": blank(~named & (rng.random(size) >= 0.5), ethnicity),  # noqa: PLR2004
        "address": blank(~named, address),
        "postcode": blank(~named, postcode),
        "phone": blank(~named, phone),
        "email": blank(~named, email),
        "pnc_id": blank(~named, pnc),
    }


def _postcode_keys(postcode: ObjArray) -> ObjArray:
    return np.array([p.replace(" ", "").upper() if p else None for p in postcode], dtype=object)


def _phone_keys(phone: ObjArray) -> ObjArray:
    # Every format ends in the six digits that make the number distinct within the 07700 block.
    return np.array([("".join(ch for ch in p if ch.isdigit()))[-6:] if p else None for p in phone], dtype=object)


def _email_keys(email: ObjArray) -> ObjArray:
    return np.array([e.lower() if e else None for e in email], dtype=object)


def _present_keys(pnc: ObjArray) -> ObjArray:
    # A PNC ID is the same for all of a person's records (in one of two forms): present on both is shared.
    return blank(pnc == None, np.full(len(pnc), "pnc", dtype=object))  # noqa: E711 (element-wise)


def _keep_a_strong_identifier(
    truth: _Truth,
    *,
    true: IntArray,
    named: BoolArray,
    dob: IntArray,
    dob_missing: BoolArray,
    keys: tuple[ObjArray, ...],
) -> BoolArray:
    """Make every later record of a repeat person share a strong identifier with an earlier record of theirs.

    Real records of one person nearly always share a date of birth, postcode, phone, email or PNC ID with
    an earlier record of theirs. Where the independent variations left a record (other than the person's
    first) sharing none of these with any earlier one, its date of birth and that of the person's first
    record are written as the true one, unaltered; so a person's records are always connected through
    strong identifiers. No random draws are made, so the rest of the force is as before. `dob` is changed
    in place; the returned mask says which dates of birth are missing.
    """
    size = len(true)
    if size == 0:
        return dob_missing
    person_count = np.bincount(true)
    repeat = named & (person_count[true] > 1)
    linked = np.zeros(size, dtype=bool)
    for values in (blank(dob_missing, dob), *keys):
        present = np.flatnonzero(repeat & (values != None))  # noqa: E711 (element-wise)
        if len(present) == 0:
            continue
        labels = np.array([f"{t}|{v}" for t, v in zip(true[present], values[present], strict=True)], dtype=object)
        _, first_seen = np.unique(labels, return_index=True)
        later = np.ones(len(present), dtype=bool)
        later[first_seen] = False  # `present` is in record order, so the first occurrence is the earliest
        linked[present[later]] = True
    order = np.argsort(true, kind="stable")
    starts = np.searchsorted(true[order], true)
    first = order[starts]  # each record's person's first record
    lonely = np.flatnonzero(repeat & ~linked & (first != np.arange(size)) & (truth.dob[true] >= 0))
    if len(lonely) == 0:
        return dob_missing
    fixed = np.concatenate([lonely, first[lonely]])
    dob[fixed] = truth.dob[true[fixed]]
    missing = dob_missing.copy()
    missing[fixed] = False
    return missing


def _vary_dates(rng: np.random.Generator, dob: IntArray) -> IntArray:
    """Day and month keyed the wrong way round on a few records, and a few days off by one."""
    size = len(dob)
    days = dob.astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    years = days.astype("datetime64[Y]")
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    month = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
    swappable = (day <= 12) & (day != month)  # noqa: PLR2004
    swapped = ((years.astype("datetime64[M]") + (day - 1)).astype("datetime64[D]") + (month - 1)).astype(np.int64)
    draw = rng.random(size)
    out = np.where(swappable & (draw < 0.03), swapped, dob)  # noqa: PLR2004
    return np.where((draw >= 0.03) & (draw < 0.05), out + rng.choice([-1, 1], size=size), out)  # noqa: PLR2004


def _addresses(rng: np.random.Generator, streets: _Streets, truth: _Truth, true: IntArray) -> tuple[ObjArray, ObjArray]:
    size = len(true)
    street = truth.street[true].copy()
    house = truth.house[true].copy()
    # A quarter of reports find the person at a different address.
    moved = rng.random(size) < 0.25  # noqa: PLR2004
    street[moved] = rng.integers(0, len(streets.names), size=int(moved.sum()))
    house[moved] = 1 + rng.geometric(0.03, size=int(moved.sum()))
    abbreviated = rng.random(size) < 0.12  # noqa: PLR2004
    suffix = np.where(
        abbreviated, SUFFIX_ABBREVIATIONS[streets.suffix[street]], STREET_SUFFIXES[streets.suffix[street]]
    )
    flat = np.where(rng.random(size) < 0.15, rng.integers(1, 30, size=size), 0)  # noqa: PLR2004
    address = np.array(
        [
            (f"Flat {f}, " if f else "") + f"{h} {s} {x}, {t}"
            for f, h, s, x, t in zip(flat, house, streets.names[street], suffix, streets.town[street], strict=True)
        ],
        dtype=object,
    )
    postcode = streets.postcode[street].copy()
    style = rng.random(size)
    compact = np.flatnonzero(style < 0.06)  # noqa: PLR2004
    postcode[compact] = [p.replace(" ", "") for p in postcode[compact]]
    lower = np.flatnonzero((style >= 0.06) & (style < 0.09))  # noqa: PLR2004
    postcode[lower] = [p.lower() for p in postcode[lower]]
    address = blank(rng.random(size) < 0.06, address)  # noqa: PLR2004
    postcode = blank(rng.random(size) < 0.08, postcode)  # noqa: PLR2004
    return address, postcode


def _phones(rng: np.random.Generator, truth: _Truth, true: IntArray, role: IntArray) -> ObjArray:
    """Mobile numbers in the 07700 block, written in the several ways people and systems write them."""
    size = len(true)
    number = truth.phone[true].copy()
    changed = rng.random(size) < 0.2  # noqa: PLR2004
    number[changed] = rng.integers(0, 1_000_000, size=int(changed.sum()))
    style = rng.integers(0, 5, size=size)
    formats = (
        "07700 {:06d}",
        "07700{:06d}",
        "+44 7700 {:06d}",
        "+447700{:06d}",
        "07700 {:03d} {:03d}",
    )
    out = np.array(
        [
            formats[s].format(d // 1000, d % 1000) if s == 4 else formats[s].format(d)  # noqa: PLR2004
            for s, d in zip(style, number, strict=True)
        ],
        dtype=object,
    )
    return blank(rng.random(size) < _by_role(role, (0.1, 0.35, 0.2, 0.05)), out)
