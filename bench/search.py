"""Case search on the demo force (SQLite, FTS5): building the index, and the search page.

Run: `python -m bench.search [--cases 7200 --seed 2026]`. Builds its own database in a temporary
folder, loads the force (which builds the search index) and the demo's users, then times the index
rebuilt for the whole force and the search page for each kind of term, as the demo investigator.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from bench.common import machine, measure

DEMO_CASES = 7_200
DEMO_SEED = 2026


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=DEMO_CASES)
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bluestone-bench-") as scratch:
        os.environ["BLUESTONE_VAR_DIR"] = str(Path(scratch) / "var")
        os.environ["DJANGO_SETTINGS_MODULE"] = "bluestone.settings.local"
        os.environ["BLUESTONE_ALLOWED_HOSTS"] = "testserver"
        os.environ.pop("DATABASE_URL", None)
        import django  # noqa: PLC0415 (the settings must be chosen first)

        django.setup()
        _run(Path(scratch), cases=args.cases, seed=args.seed, runs=args.runs)


def _typo(word: str) -> str:
    """The word with its second and third letters swapped ("Jonh" for "John")."""
    return word[0] + word[2] + word[1] + word[3:] if len(word) >= 4 else word


def _run(scratch: Path, *, cases: int, seed: int, runs: int) -> None:
    from django.core.management import call_command  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415

    from bluestone.cases.loading import extract_load  # noqa: PLC0415
    from bluestone.cases.models import Case, Involvement, PersonAddress, SearchEntry  # noqa: PLC0415
    from bluestone.cases.search import case_search  # noqa: PLC0415
    from bluestone.cases.search_index import search_index_refresh  # noqa: PLC0415
    from bluestone.orchestration.management.commands.demo import demo_users_create  # noqa: PLC0415
    from bluestone.synth import generate_force, write_force  # noqa: PLC0415

    one, five, _ = os.getloadavg()
    print(
        f"## Case search: {cases:,} cases, seed {seed}, SQLite ({machine()}, "
        f"load average {one:.1f}, 5 min {five:.1f})\n"
    )
    call_command("migrate", verbosity=0)
    out = scratch / "extract"
    write_force(generate_force(cases=cases, seed=seed), out)
    extract_load(directory=out)
    users = {user.role: user for user in demo_users_create()}
    investigator = users["investigator"]
    # A named person on one of the investigator's team's cases, with a date of birth and a postcode.
    involvement = (
        Involvement.objects.filter(
            case__team_id=investigator.team_id,
            person__date_of_birth__isnull=False,
            person__addresses__postcode__gt="",
        )
        .exclude(person__first_name="")
        .exclude(person__last_name="")
        .select_related("person", "case")
        .order_by("case__crime_reference")
        .first()
    )
    if involvement is None:
        raise SystemExit("No named person with a date of birth and a postcode on the investigator's team")
    person = involvement.person
    postcode = PersonAddress.objects.filter(person=person).exclude(postcode="").values_list("postcode", flat=True)[0]
    terms = [
        ("crime reference", involvement.case.crime_reference),
        ("full name", f"{person.first_name} {person.last_name}"),
        ("name with a typo in each word", f"{_typo(person.first_name)} {_typo(person.last_name)}"),
        ("surname alone", person.last_name),
        ("date of birth", person.date_of_birth.strftime("%d/%m/%Y") if person.date_of_birth else ""),
        ("postcode without its space", postcode.replace(" ", "").lower()),
    ]
    client = Client()
    client.force_login(investigator)
    page = reverse("cases:search")
    anonymous = Client()
    sign_in = reverse("accounts:sign-in")
    baseline = measure(lambda: anonymous.get(sign_in), runs=runs * 2)
    index = measure(search_index_refresh, runs=3)
    entries, case_count = SearchEntry.objects.count(), Case.objects.count()
    print(f"Search entries: {entries:,} (one per person on a case); cases: {case_count:,}.\n")
    print("| what (signed in as the investigator) | matches | server time | ratio to the sign-in page |")
    print("|---|---:|---|---|")
    print(f"| sign-in page (baseline) | | {baseline} | 1.0 |")
    print(f"| rebuild the whole index (`search_index_refresh()`) | | {index} | {index.median / baseline.median:.0f} |")
    for label, term in terms:
        response = client.get(page, {"q": term})
        if response.status_code != 200:
            raise SystemExit(f"{label}: {term!r} answered {response.status_code}")
        found = case_search(user=investigator, term=term).count
        timing = measure(lambda term=term: client.get(page, {"q": term}), runs=runs)
        print(f"| search page: {label} | {found} | {timing} | {timing.median / baseline.median:.1f} |")


if __name__ == "__main__":
    main()
