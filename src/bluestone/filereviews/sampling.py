"""Stratified random samples of finalised cases for case-file review. Framework-free: plain data in,
plain data out, so that anyone can draw the same sample again from the same list of cases and seed.

A case's stratum is its outcome group and its team. The sample size is shared out between the strata
in proportion to their size (each stratum gets the whole part of its share, and the places left over
go to the strata with the largest remainders, ties to the first stratum in order), then each stratum's
cases are sorted by id and drawn with Python's `random.Random(seed)`, stratum by stratum in order.
The same cases and seed give the same sample on any machine.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

# Home Office outcome codes grouped as reviews compare them. Any code not listed is "other".
OUTCOME_GROUPS: dict[str, tuple[int, ...]] = {
    "charged": (1,),
    "out_of_court": (2, 3, 4, 6, 7, 8),
    "evidential_difficulties_suspect_named": (15,),
    "victim_does_not_support": (14, 16),
    "no_suspect_identified": (18,),
}
OUTCOME_GROUP_LABELS: dict[str, str] = {
    "charged": "Charged or summonsed",
    "out_of_court": "Caution or community resolution",
    "evidential_difficulties_suspect_named": "Evidential difficulties, victim supports",
    "victim_does_not_support": "Victim does not support action",
    "no_suspect_identified": "No suspect identified",
    "other": "Other outcomes",
}
_GROUP_OF = {code: group for group, codes in OUTCOME_GROUPS.items() for code in codes}


def outcome_group(code: int) -> str:
    """The review's outcome group of a Home Office outcome code.

    >>> outcome_group(16)
    'victim_does_not_support'
    """
    return _GROUP_OF.get(code, "other")


@dataclass(frozen=True)
class Candidate:
    """A finalised case that may be drawn: its id, outcome group and team."""

    case_id: str
    group: str
    team: str

    @property
    def stratum(self) -> tuple[str, str]:
        return (self.group, self.team)


@dataclass(frozen=True)
class Stratum:
    group: str
    team: str
    population: int
    drawn: int


@dataclass(frozen=True)
class Sample:
    drawn: list[Candidate]
    strata: list[Stratum]


def allocate(sizes: dict[tuple[str, str], int], size: int) -> dict[tuple[str, str], int]:
    """Share `size` places between strata in proportion to their sizes (largest remainder).

    >>> allocate({("a", "x"): 30, ("b", "x"): 10}, 4)
    {('a', 'x'): 3, ('b', 'x'): 1}
    """
    if size < 0:
        raise ValueError("The sample size cannot be negative.")
    total = sum(sizes.values())
    if size >= total:
        return dict(sizes)
    order = sorted(sizes)
    shares = {key: sizes[key] * size / total for key in order}
    places = {key: int(shares[key]) for key in order}
    left = size - sum(places.values())
    by_remainder = sorted(order, key=lambda key: (-(shares[key] - places[key]), order.index(key)))
    for key in by_remainder[:left]:
        places[key] += 1
    return places


def draw(candidates: Iterable[Candidate], *, size: int, seed: int) -> Sample:
    """A stratified random sample of `size` cases (all of them if there are fewer).

    >>> people = [Candidate(f"{n:04d}", "charged" if n % 4 else "other", "T1") for n in range(40)]
    >>> sample = draw(people, size=8, seed=7)
    >>> [(s.group, s.population, s.drawn) for s in sample.strata]
    [('charged', 30, 6), ('other', 10, 2)]
    >>> sample == draw(reversed(people), size=8, seed=7)
    True
    """
    by_stratum: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_stratum[candidate.stratum].append(candidate)
    places = allocate({key: len(members) for key, members in by_stratum.items()}, size)
    generator = random.Random(seed)  # noqa: S311 (a reproducible sample, not a secret)
    drawn: list[Candidate] = []
    strata: list[Stratum] = []
    for key in sorted(by_stratum):
        members = sorted(by_stratum[key], key=lambda c: c.case_id)
        chosen = sorted(generator.sample(members, places[key]), key=lambda c: c.case_id)
        drawn.extend(chosen)
        strata.append(Stratum(group=key[0], team=key[1], population=len(members), drawn=len(chosen)))
    return Sample(drawn=drawn, strata=strata)
