"""A small stand-in for `bluestone.synth`: people who appear in several records with realistic noise.

Used while the synthetic force is not available, and to test linkage on noise we control.
"""

from __future__ import annotations

import random
import string
from datetime import date, timedelta

import pyarrow as pa

FIRST = (
    "james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony "
    "mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan "
    "jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander "
    "patrick frank raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle "
    "noah ethan jeremy walter christian keith roger terry austin sean gerald carl harold dylan arthur lawrence "
    "jordan jesse bryan billy bruce gabriel joe logan alan juan albert willie elijah wayne randy vincent mason "
    "roy ralph bobby russell bradley philip eugene mohammed ahmed ali omar hassan tariq imran kwame kofi "
    "oliver harry liam connor callum declan kieran rhys owen dafydd ioan"
).split()
LAST = (
    "smith jones taylor brown williams wilson johnson davies robinson wright thompson evans walker white roberts "
    "green hall wood jackson clarke patel khan lewis james phillips mason mitchell rose davis rodriguez cox "
    "alexander morgan moore martin price turner harris hughes edwards cooper king lee baker harrison morris "
    "clark ward young allen scott watson hill parker bennett carter shaw holmes ali hussain ahmed begum "
    "murphy kelly obrien walsh byrne ryan oconnor doherty campbell stewart anderson macdonald reid ross "
    "murray paterson fraser grant simpson marshall kennedy gordon russell howard palmer lloyd griffiths "
    "owen richards thomas pearson bell graham butler barnes fisher henderson chapman dixon hunt mills "
    "gray webb knight mann stone porter hudson andrews francis reynolds nowak kowalski wisniewski okafor "
    "mensah osei adeyemi singh kaur sharma gill"
).split()
NICK = {
    "william": "bill",
    "robert": "bob",
    "james": "jim",
    "michael": "mike",
    "thomas": "tom",
    "richard": "rick",
    "anthony": "tony",
    "edward": "ted",
    "joseph": "joe",
    "daniel": "danny",
}
AREAS = ("M", "B", "LS", "L", "NE", "S", "BS", "CF", "NG", "LE", "SW", "E", "N", "SE", "W", "CR", "BR")
STREETS = (
    "high street",
    "church road",
    "station road",
    "victoria road",
    "park road",
    "mill lane",
    "london road",
    "manor road",
    "kings road",
    "queens road",
    "green lane",
    "the crescent",
)


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]
    if kind < 0.7:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i + 1 :]


def _postcode(rng: random.Random) -> str:
    unit = "".join(rng.choices("ABDEFGHJLNPQRSTUWXYZ", k=2))
    return f"{rng.choice(AREAS)}{rng.randint(1, 20)} {rng.randint(1, 9)}{unit}"


def fake_persons(  # noqa: C901, PLR0915 (a generator reads best as one story)
    people: int, *, seed: int = 7, repeat_share: float = 0.3
) -> tuple[pa.Table, pa.Table]:
    """Person records in the linkage contract and their ground truth (record_id, true_person_id)."""
    rng = random.Random(seed)
    rows: dict[str, list[object]] = {
        k: []
        for k in (
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
    }
    truth: list[str] = []
    counter = 0
    for person in range(people):
        first = rng.choice(FIRST)
        last = rng.choice(LAST)
        middle = rng.choice(FIRST) if rng.random() < 0.5 else None
        dob = date(1950, 1, 1) + timedelta(days=rng.randrange(20_000))
        gender = "M" if rng.random() < 0.9 else "F"
        postcode = _postcode(rng)
        address = f"{rng.randint(1, 200)} {rng.choice(STREETS)}"
        phone = "07" + "".join(rng.choices(string.digits, k=9)) if rng.random() < 0.6 else None
        email = f"{first}.{last}{rng.randint(1, 99)}@example.com" if rng.random() < 0.3 else None
        pnc = f"{rng.randint(80, 99)}/{rng.randint(1, 999999):06d}{rng.choice(string.ascii_uppercase)}"
        has_pnc = rng.random() < 0.4
        copies = 1
        if rng.random() < repeat_share:
            copies += 1 + min(int(rng.expovariate(0.8)), 5)
        for copy in range(copies):
            counter += 1
            noisy = copy > 0
            f = first
            if noisy and rng.random() < 0.1 and first in NICK:
                f = NICK[first]
            elif noisy and rng.random() < 0.1:
                f = _typo(rng, first)
            surname = _typo(rng, last) if noisy and rng.random() < 0.1 else last
            d = dob
            dob_text: str | None = d.isoformat()
            r = rng.random()
            if noisy and r < 0.05 and d.day <= 12:
                dob_text = date(d.year, d.day, d.month).isoformat()
            elif noisy and r < 0.1:
                dob_text = (d + timedelta(days=rng.choice((-1, 1, 10, 365)))).isoformat()
            elif noisy and r < 0.15:
                dob_text = None
            elif noisy and r < 0.3:
                dob_text = d.strftime("%d/%m/%Y")
            pc, addr = postcode, address
            if noisy and rng.random() < 0.3:
                pc, addr = _postcode(rng), f"{rng.randint(1, 200)} {rng.choice(STREETS)}"
            ph = phone
            if ph and noisy and rng.random() < 0.3:
                ph = None
            elif ph and rng.random() < 0.3:
                ph = "+44 " + ph[1:5] + " " + ph[5:]
            rows["record_id"].append(f"R{counter:07d}")
            rows["first_name"].append(f.title())
            rows["middle_names"].append(middle if not noisy or rng.random() < 0.5 else None)
            rows["last_name"].append(surname.upper() if rng.random() < 0.2 else surname.title())
            rows["date_of_birth"].append(dob_text)
            rows["gender"].append(gender)
            rows["address"].append(addr)
            rows["postcode"].append(pc.lower() if rng.random() < 0.2 else pc)
            rows["phone"].append(ph)
            rows["email"].append(email if not noisy or rng.random() < 0.5 else None)
            rows["identifier"].append(pnc if has_pnc and rng.random() < 0.6 else None)
            truth.append(f"P{person:07d}")
    records = pa.table(rows)
    return records, pa.table({"record_id": rows["record_id"], "true_person_id": truth})
