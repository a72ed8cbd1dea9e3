"""The rules that turn scored pairs and review decisions into identities (suspects.clustering)."""

from __future__ import annotations

from bluestone.suspects.clustering import carry_over, cluster


def test_pairs_at_or_above_the_threshold_join_records_transitively() -> None:
    result = cluster(records="abcde", pairs=[("a", "b", 0.95), ("b", "c", 0.9), ("d", "e", 0.89)], threshold=0.9)

    assert result.groups == [["a", "b", "c"]]


def test_a_cannot_link_keeps_two_records_apart_even_through_a_third() -> None:
    pairs = [("a", "b", 0.99), ("b", "c", 0.98)]

    result = cluster(records="abc", pairs=pairs, threshold=0.9, cannot_link=[("a", "c")])

    # The strongest pair joins a and b; joining c would put a and c together, which a person refused.
    assert result.groups == [["a", "b"]]


def test_a_must_link_joins_records_the_model_scored_low_or_not_at_all() -> None:
    result = cluster(records="abcd", pairs=[("a", "b", 0.6)], threshold=0.9, must_link=[("a", "b"), ("c", "d")])

    assert result.groups == [["a", "b"], ["c", "d"]]


def test_must_links_win_over_a_contradicting_cannot_link_and_the_conflict_is_reported() -> None:
    result = cluster(
        records="abc", pairs=[], threshold=0.9, must_link=[("a", "b"), ("b", "c")], cannot_link=[("c", "a")]
    )

    assert result.groups == [["a", "b", "c"]]
    assert result.conflicts == [("a", "c")]


def test_identities_carry_over_to_the_group_sharing_most_records() -> None:
    old = {"a": "X", "b": "X", "c": "X", "d": "Y", "e": "Y"}

    chosen = carry_over(new_groups=[["a", "b"], ["c", "d", "e"], ["f", "g"]], old_identity_of=old)

    # X is shared most with the first group (2), Y with the second (2); the third is new.
    assert chosen == ["X", "Y", None]


def test_an_old_identity_goes_to_one_group_only() -> None:
    chosen = carry_over(new_groups=[["a", "b"], ["c", "d"]], old_identity_of=dict.fromkeys("abcd", "X"))

    assert chosen == ["X", None]
