"""An evaluation set of UK-style person records that shares nothing with `bluestone.synth` or the linker.

Names come from Faker (its en_GB person provider, with a share of its en_IN one), drawn with a skew so
that a few names are very common, as in real data; nicknames come from the short table below, written
for this generator (the linker reads its own list from the `nicknames` package). The hard cases that
make a linker over-link are built in on purpose:

- **twins**: a second person with the same last name, date of birth, address, postcode and often phone,
  and a different first name;
- **fathers and sons**: a second person with the same first and last name, address and postcode, born a
  generation later, whose records sometimes carry "Jr" and the father's "Snr";
- common names shared by many different people;
- repeat appearances with typos, nicknames, initials, first and last names swapped, dates of birth
  missing, transposed, mistyped or written in other formats, moves of house, changed phones.

`uk_people(people, seed=...)` returns the records (the linkage contract) and the truth
(`record_id`, `true_person_id`).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date, timedelta

import pyarrow as pa
from faker import Faker

# Diminutives as people write them, for this generator only.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "william": ("bill", "will", "billy"),
    "robert": ("bob", "rob", "bobby"),
    "james": ("jim", "jimmy", "jamie"),
    "michael": ("mike", "mick", "mikey"),
    "thomas": ("tom", "tommy"),
    "richard": ("rich", "dick", "ricky"),
    "anthony": ("tony", "ant"),
    "edward": ("ed", "eddie", "ted"),
    "joseph": ("joe", "joey"),
    "daniel": ("dan", "danny"),
    "christopher": ("chris", "kit"),
    "david": ("dave", "davey"),
    "stephen": ("steve",),
    "steven": ("steve",),
    "andrew": ("andy", "drew"),
    "matthew": ("matt",),
    "benjamin": ("ben", "benny"),
    "samuel": ("sam", "sammy"),
    "alexander": ("alex", "sandy"),
    "nicholas": ("nick", "nicky"),
    "jonathan": ("jon", "jonny"),
    "gary": ("gaz",),
    "patrick": ("pat", "paddy"),
    "kenneth": ("ken", "kenny"),
    "peter": ("pete",),
    "philip": ("phil",),
    "timothy": ("tim",),
    "elizabeth": ("liz", "beth", "lizzie"),
    "margaret": ("maggie", "peggy"),
    "katherine": ("kate", "katie", "kath"),
    "catherine": ("cathy", "kate"),
    "jennifer": ("jen", "jenny"),
    "rebecca": ("becky", "becca"),
    "victoria": ("vicky", "tori"),
    "samantha": ("sam",),
    "susan": ("sue", "susie"),
    "deborah": ("debbie", "deb"),
    "jessica": ("jess",),
    "abigail": ("abbie", "abby"),
    "charlotte": ("charlie", "lottie"),
    "mohammed": ("mo",),
    "muhammad": ("mo",),
}

_FIELDS = (
    "record_id",
    "first_name",
    "middle_names",
    "last_name",
    "date_of_birth",
    "gender",
    "address",
    "postcode",
    "phone",
    "email",
    "identifier",
)


@dataclass(frozen=True)
class Scenario:
    """How often each hard case and each kind of noise occurs (shares of people or of later records)."""

    repeat_share: float = 0.3
    twin_share: float = 0.02
    son_share: float = 0.02
    typo: float = 0.08
    nickname: float = 0.12
    initial: float = 0.03
    swap: float = 0.02
    dob_missing: float = 0.1
    dob_error: float = 0.06
    move: float = 0.3


@dataclass
class _Person:
    key: str
    first: str
    middle: str | None
    last: str
    dob: date
    gender: str
    address: str
    postcode: str
    phone: str | None
    email: str | None
    pnc: str | None
    suffix: str | None = None


class _Names:
    """Name pools from Faker, drawn with a Zipf-like skew (a few common names, a long tail)."""

    def __init__(self, rng: random.Random) -> None:
        gb = Faker("en_GB").provider("faker.providers.person")
        india = Faker("en_IN").provider("faker.providers.person")
        self.rng = rng
        self.male = [n.lower() for n in gb.first_names_male] + ["mohammed", "muhammad"]
        self.female = [n.lower() for n in gb.first_names_female]
        self.last = [n.lower() for n in gb.last_names]
        self.male_in = [n.lower() for n in india.first_names_male]
        self.female_in = [n.lower() for n in india.first_names_female]
        self.last_in = [n.lower() for n in india.last_names] + ["khan", "hussain", "ahmed", "ali"]
        for pool in (self.male, self.female, self.last, self.male_in, self.female_in, self.last_in):
            rng.shuffle(pool)

    def pick(self, pool: list[str], offset: float = 8.0) -> str:
        # Rank r is drawn with weight 1 / (r + offset): the first names of each shuffled pool are common (the
        # commonest about 2 to 6 in 100, like Smith or David in England and Wales), with a long tail.
        top = (len(pool) + offset) / offset
        index = int(offset * top ** self.rng.random() - offset)
        return pool[min(index, len(pool) - 1)]

    def person(self, gender: str) -> tuple[str, str | None, str]:
        south_asian = self.rng.random() < 0.15
        if gender == "M":
            firsts = self.male_in if south_asian else self.male
        else:
            firsts = self.female_in if south_asian else self.female
        lasts = self.last_in if south_asian else self.last
        middle = self.pick(firsts) if self.rng.random() < 0.45 else None
        return self.pick(firsts), middle, self.pick(lasts)


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.35:
        return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]
    if kind < 0.7:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind < 0.85:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _written_date(rng: random.Random, day: date) -> str:
    style = rng.random()
    if style < 0.55:
        return day.isoformat()
    if style < 0.8:
        return day.strftime("%d/%m/%Y")
    if style < 0.9:
        return f"{day.day} {day.strftime('%b %Y')}"
    return day.strftime("%d-%b-%Y").upper()


def _wrong_date(rng: random.Random, day: date) -> date:
    kind = rng.random()
    if kind < 0.35 and day.day <= 12 and day.day != day.month:
        return date(day.year, day.day, day.month)
    if kind < 0.7:
        return day + timedelta(days=rng.choice((-1, 1, -10, 10)))
    try:
        return day.replace(year=day.year + rng.choice((-1, 1, -10, 10)))
    except ValueError:
        return day + timedelta(days=365)


class _Places:
    def __init__(self, rng: random.Random, size: int) -> None:
        faker = Faker("en_GB")
        faker.seed_instance(rng.randrange(1 << 30))
        self.rng = rng
        self.pool = [(faker.street_address().replace("\n", ", "), faker.postcode()) for _ in range(size)]

    def pick(self) -> tuple[str, str]:
        return self.rng.choice(self.pool)


def _phone(rng: random.Random) -> str:
    return "07" + "".join(rng.choices(string.digits, k=9))


def _pnc(rng: random.Random, born: date) -> str:
    year = min(2024, born.year + rng.randint(14, 40))
    return f"{year}/{rng.randint(1, 9_999_999):07d}{rng.choice(string.ascii_uppercase)}"


def uk_people(  # noqa: C901, PLR0912, PLR0915 (a generator reads best as one story)
    people: int, *, seed: int = 1, scenario: Scenario | None = None
) -> tuple[pa.Table, pa.Table]:
    """About 1.5 records per person (plus twins and sons), in the linkage contract, and the truth."""
    plan = scenario or Scenario()
    rng = random.Random(seed)
    Faker.seed(seed)
    names = _Names(rng)
    # About one address per household: unrelated people rarely share one.
    places = _Places(rng, max(50, people * 2))
    persons: list[_Person] = []
    for index in range(people):
        gender = "M" if rng.random() < 0.85 else "F"
        first, middle, last = names.person(gender)
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(19_000))
        address, postcode = places.pick()
        person = _Person(
            key=f"U{index:07d}",
            first=first,
            middle=middle,
            last=last,
            dob=born,
            gender=gender,
            address=address,
            postcode=postcode,
            phone=_phone(rng) if rng.random() < 0.6 else None,
            email=f"{first}.{last}.{index}@example.org" if rng.random() < 0.3 else None,
            pnc=_pnc(rng, born) if rng.random() < 0.4 else None,
        )
        persons.append(person)
        if rng.random() < plan.twin_share:
            twin_gender = gender if rng.random() < 0.7 else ("F" if gender == "M" else "M")
            twin_first = first
            while (
                twin_first == first or twin_first in NICKNAMES.get(first, ()) or first in NICKNAMES.get(twin_first, ())
            ):
                twin_first, _, _ = names.person(twin_gender)
            persons.append(
                _Person(
                    key=f"U{index:07d}T",
                    first=twin_first,
                    middle=middle if rng.random() < 0.2 else None,
                    last=last,
                    dob=born,
                    gender=twin_gender,
                    address=address,
                    postcode=postcode,
                    phone=person.phone if rng.random() < 0.3 else _phone(rng),
                    email=None,
                    pnc=_pnc(rng, born) if rng.random() < 0.4 else None,
                )
            )
        if rng.random() < plan.son_share:
            son_born = born + timedelta(days=rng.randint(18 * 365, 40 * 365))
            if son_born.year <= 2010:
                person.suffix = "Snr" if rng.random() < 0.3 else None
                persons.append(
                    _Person(
                        key=f"U{index:07d}S",
                        first=first,
                        middle=middle if rng.random() < 0.5 else None,
                        last=last,
                        dob=son_born,
                        gender="M",
                        address=address,
                        postcode=postcode,
                        phone=_phone(rng) if rng.random() < 0.6 else None,
                        email=None,
                        pnc=_pnc(rng, son_born) if rng.random() < 0.4 else None,
                        suffix="Jr" if rng.random() < 0.4 else None,
                    )
                )
    rows: dict[str, list[object]] = {k: [] for k in _FIELDS}
    truth: list[str] = []
    counter = 0
    for person in persons:
        copies = 1
        if rng.random() < plan.repeat_share:
            copies += 1 + min(int(rng.expovariate(0.9)), 4)
        address, postcode, phone = person.address, person.postcode, person.phone
        for copy in range(copies):
            counter += 1
            noisy = copy > 0
            first, last = person.first, person.last
            r = rng.random()
            if noisy and r < plan.nickname and first in NICKNAMES:
                first = rng.choice(NICKNAMES[first])
            elif noisy and r < plan.nickname + plan.typo:
                first = _typo(rng, first)
            elif noisy and r < plan.nickname + plan.typo + plan.initial:
                first = first[0]
            if noisy and rng.random() < plan.typo:
                last = _typo(rng, last)
            if person.suffix and rng.random() < 0.7:
                last = f"{last} {person.suffix}"
            if noisy and rng.random() < plan.swap:
                first, last = last, first
            dob_text: str | None = _written_date(rng, person.dob)
            r = rng.random()
            if noisy and r < plan.dob_missing:
                dob_text = None
            elif noisy and r < plan.dob_missing + plan.dob_error:
                dob_text = _wrong_date(rng, person.dob).isoformat()
            if noisy and rng.random() < plan.move:
                address, postcode = places.pick()
                if phone and rng.random() < 0.5:
                    phone = _phone(rng)
            case = rng.random()
            rows["record_id"].append(f"E{counter:08d}")
            rows["first_name"].append(first.upper() if case < 0.15 else first.title())
            rows["middle_names"].append(person.middle.title() if person.middle and rng.random() < 0.6 else None)
            rows["last_name"].append(last.upper() if case < 0.3 else last.title())
            rows["date_of_birth"].append(dob_text)
            rows["gender"].append(person.gender if rng.random() < 0.95 else None)
            rows["address"].append(address)
            rows["postcode"].append(postcode if rng.random() < 0.9 else postcode.replace(" ", "").lower())
            rows["phone"].append(phone if rng.random() < 0.7 else None)
            rows["email"].append(person.email if person.email and rng.random() < 0.5 else None)
            rows["identifier"].append(person.pnc if person.pnc and rng.random() < 0.5 else None)
            truth.append(person.key)
    records = pa.table({k: pa.array(v, pa.string()) for k, v in rows.items()})
    return records, pa.table({"record_id": rows["record_id"], "true_person_id": truth})
