"""The sampler on plain data: proportional shares, every case when there are fewer, the same seed the
same sample whatever order the cases come in."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bluestone.filereviews.sampling import Candidate, allocate, draw, outcome_group


def _force(sizes: dict[tuple[str, str], int]) -> list[Candidate]:
    return [
        Candidate(case_id=f"{group}-{team}-{n:05d}", group=group, team=team)
        for (group, team), size in sizes.items()
        for n in range(size)
    ]


FORCE = _force({("charged", "NORTH"): 40, ("charged", "SOUTH"): 20, ("other", "NORTH"): 30, ("other", "SOUTH"): 10})


def test_outcome_groups() -> None:
    assert outcome_group(1) == "charged"
    assert outcome_group(16) == "victim_does_not_support"
    assert outcome_group(14) == "victim_does_not_support"
    assert outcome_group(15) == "evidential_difficulties_suspect_named"
    assert outcome_group(18) == "no_suspect_identified"
    assert outcome_group(21) == "other"


def test_each_stratum_gives_cases_in_proportion_to_its_size() -> None:
    sample = draw(FORCE, size=10, seed=1)

    assert [(s.group, s.team, s.population, s.drawn) for s in sample.strata] == [
        ("charged", "NORTH", 40, 4),
        ("charged", "SOUTH", 20, 2),
        ("other", "NORTH", 30, 3),
        ("other", "SOUTH", 10, 1),
    ]
    assert len(sample.drawn) == 10
    assert len({c.case_id for c in sample.drawn}) == 10
    for stratum in sample.strata:
        members = [c for c in sample.drawn if c.stratum == (stratum.group, stratum.team)]
        assert len(members) == stratum.drawn


def test_the_same_seed_draws_the_same_sample_in_any_order_and_another_seed_another() -> None:
    first = draw(FORCE, size=12, seed=20260401)
    again = draw(list(reversed(FORCE)), size=12, seed=20260401)
    other = draw(FORCE, size=12, seed=20260402)

    assert [c.case_id for c in first.drawn] == [c.case_id for c in again.drawn]
    assert {c.case_id for c in first.drawn} != {c.case_id for c in other.drawn}


def test_a_sample_larger_than_the_cases_takes_them_all() -> None:
    sample = draw(FORCE[:7], size=50, seed=3)

    assert sorted(c.case_id for c in sample.drawn) == sorted(c.case_id for c in FORCE[:7])


def test_left_over_places_go_to_the_largest_remainders() -> None:
    # Shares 1.5, 1.2 and 0.3: one place each for the whole parts, the last to the 0.5 remainder.
    assert allocate({("a", "t"): 50, ("b", "t"): 40, ("c", "t"): 10}, 3) == {
        ("a", "t"): 2,
        ("b", "t"): 1,
        ("c", "t"): 0,
    }


@given(
    sizes=st.dictionaries(
        st.tuples(st.sampled_from(["charged", "other", "no_suspect_identified"]), st.sampled_from(["A", "B", "C"])),
        st.integers(min_value=0, max_value=60),
        min_size=1,
    ),
    size=st.integers(min_value=0, max_value=200),
)
def test_the_places_add_up_and_no_stratum_gives_more_than_it_has(sizes: dict[tuple[str, str], int], size: int) -> None:
    places = allocate(sizes, size)

    assert sum(places.values()) == min(size, sum(sizes.values()))
    assert all(0 <= places[key] <= sizes[key] for key in sizes)
    total = sum(sizes.values())
    if total and size < total:
        # Proportional: no stratum is more than one place from its exact share.
        assert all(abs(places[key] - sizes[key] * size / total) < 1 for key in sizes)
