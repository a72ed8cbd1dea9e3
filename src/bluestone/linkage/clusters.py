"""Identities from scored pairs, checked before they are stored: no identity is formed silently on weak links.

Connected components over the matched pairs make identities, strongest pair first (Kruskal's order),
so each identity's weakest link, the lowest match probability without which it would fall apart, is
known. Then every identity is checked:

- **Stable at a higher threshold.** An identity of three or more records should hold together on pairs
  at or above `ClusterPolicy.stable_threshold` alone. One that does not is held for review. Where it
  falls apart at that threshold into two or more groups of several records each (two people with
  records of their own, joined through one weak pair, the way one mistyped record can join two
  different people), it is split into those groups, each marked for review; where only single records
  hang on by a weak pair, it stays whole and is marked for review.
- **Kept apart.** Pairs held back as twins or father and son never end up in one identity through other
  records, and a record that matches both of two such people, each with records of their own (a record
  without a date of birth), joins neither: it is marked for review.
- **Size.** An identity of more than `ClusterPolicy.max_size` records is held for review, whatever its links.
- **Density and hubs.** Each identity's density (pairs matched over pairs possible) and its largest number
  of links from one record are reported, the measures Splink's cluster and node metrics give.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class ClusterPolicy:
    """How identities are checked after clustering.

    Attributes:
        stable_threshold: identities of three or more records must hold together on pairs at or above this
            match probability; those that do not are split into the parts that do, marked for review.
        max_size: identities of more records than this are held for review.
    """

    stable_threshold: float = 0.99
    max_size: int = 12

    def __post_init__(self) -> None:
        if not 0 < self.stable_threshold < 1:
            raise ValueError(f"stable_threshold must be between 0 and 1 (got {self.stable_threshold!r}).")
        if self.max_size < 2:  # noqa: PLR2004
            raise ValueError(f"max_size must be at least 2 (got {self.max_size!r}).")


SPLIT_REASON = (
    "Split for review: two groups of records held together only through a pair below {stable:.0%}; "
    "review whether they are one person"
)
WEAK_REASON = "Held for review: a record joins this identity only through a pair below {stable:.0%}"
AMBIGUOUS_REASON = (
    "Held for review: this record matches two people who are kept apart (twins, or father and son?), so it is "
    "linked to neither"
)
SIZE_REASON = "Held for review: {size} records, more than the {limit} an identity may hold without review"


class _Forest:
    def __init__(self, records: Iterable[str], apart: Iterable[tuple[str, str]] = ()) -> None:
        self.parent = {r: r for r in records}
        self.size = dict.fromkeys(self.parent, 1)
        self.members: dict[str, set[str]] = {}
        self.weakest: dict[str, float] = {}
        # Pairs that must never share an identity, by record (so by component root once joined).
        self.apart: dict[str, set[str]] = {}
        for a, b in apart:
            if a in self.parent and b in self.parent:
                self.apart.setdefault(a, set()).add(b)
                self.apart.setdefault(b, set()).add(a)

    def root(self, record: str) -> str:
        parent = self.parent
        while parent[record] != record:
            parent[record] = parent[parent[record]]
            record = parent[record]
        return record

    def _members(self, root: str) -> set[str]:
        return self.members.get(root, {root})

    def join(self, a: str, b: str, probability: float) -> bool:
        """Join the identities of `a` and `b`, unless that would put two records kept apart together."""
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return True
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        if self.apart:
            small, large = self._members(rb), self._members(ra)
            if any(self.apart.get(record, set()) & large for record in small):
                return False
            self.members[ra] = large | small
            self.members.pop(rb, None)
        self.parent[rb] = ra
        self.size[ra] += self.size.pop(rb)
        # Edges arrive strongest first, so the last join is the weakest link of the merged identity.
        self.weakest[ra] = probability
        self.weakest.pop(rb, None)
        return True

    def groups(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for record in self.parent:
            found.setdefault(self.root(record), []).append(record)
        return found


@dataclass(frozen=True)
class CheckedGroup:
    """An identity after the checks: its records, why it needs review (or None), its weakest link."""

    members: list[str]
    review: str | None
    weakest_link: float | None
    review_group: str | None = None
    """For a part of a split identity, the smallest record id of the whole it was split from."""


def _weakest(members: list[str], ordered: list[tuple[str, str, float]]) -> tuple[_Forest, float | None]:
    """The group's forest over its own edges (`ordered`, strongest first, all within the group)."""
    forest = _Forest(members)
    for a, b, probability in ordered:
        forest.join(a, b, probability)
    roots = {forest.root(m) for m in members}
    return forest, (forest.weakest.get(next(iter(roots))) if len(roots) == 1 else None)


def check_groups(
    groups: Iterable[list[str]], edges: Iterable[tuple[str, str, float]], policy: ClusterPolicy
) -> list[CheckedGroup]:
    """The checks of this module's docstring on identities already formed (`groups` of two or more records).

    `edges` are the pairs that formed them (a pair a person confirmed counts as probability 1).
    """
    groups = list(groups)
    group_of = {record: index for index, members in enumerate(groups) for record in members}
    within: list[list[tuple[str, str, float]]] = [[] for _ in groups]
    for edge in sorted(edges, key=lambda e: (-e[2], e[0], e[1])):
        index = group_of.get(edge[0])
        if index is not None and group_of.get(edge[1]) == index:
            within[index].append(edge)
    checked: list[CheckedGroup] = []
    for members, ordered in zip(groups, within, strict=True):
        if len(members) == 2 and ordered:  # noqa: PLR2004
            # Two records: the strongest pair between them is the link (most identities are pairs).
            checked.append(CheckedGroup(members=sorted(members), review=None, weakest_link=ordered[0][2]))
            continue
        _forest, low = _weakest(members, ordered)
        review: str | None = None
        if len(members) >= 3 and low is not None and low < policy.stable_threshold:  # noqa: PLR2004
            stable, _ = _weakest(members, [e for e in ordered if e[2] >= policy.stable_threshold])
            parts = stable.groups()
            if sum(1 for part in parts.values() if len(part) > 1) >= 2:  # noqa: PLR2004
                # Two or more people with records of their own, joined by a weak pair: the chaining that
                # puts an innocent person into another's identity. Split, and let a person decide.
                whole = min(members)
                for part_root, part in sorted(parts.items(), key=lambda item: min(item[1])):
                    checked.append(
                        CheckedGroup(
                            members=sorted(part),
                            review=SPLIT_REASON.format(stable=policy.stable_threshold),
                            weakest_link=stable.weakest.get(part_root),
                            review_group=whole,
                        )
                    )
                continue
            review = WEAK_REASON.format(stable=policy.stable_threshold)
        if len(members) > policy.max_size:
            review = SIZE_REASON.format(size=len(members), limit=policy.max_size)
        checked.append(CheckedGroup(members=sorted(members), review=review, weakest_link=low))
    return checked


def _components(ordered: list[tuple[str, str, float]]) -> dict[str, str]:
    """Each record of `ordered`'s pairs mapped to a representative of its connected component (no checks)."""
    parent: dict[str, str] = {}

    def root(record: str) -> str:
        parent.setdefault(record, record)
        while parent[record] != record:
            parent[record] = parent[parent[record]]
            record = parent[record]
        return record

    for a, b, _probability in ordered:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[rb] = ra
    return {record: root(record) for record in parent}


def _join_keeping_apart(
    ordered: list[tuple[str, str, float]], apart: list[tuple[str, str]]
) -> tuple[list[list[str]], list[tuple[str, str, float]], dict[str, str]]:
    """Join strongest first, never joining records kept apart; a record that matches both of two people kept
    apart, each with records of their own (a father's record without a date of birth, matching father and
    son alike), could be either: it joins neither, and is marked for review. Returns the groups of two or
    more records, the edges used and the records marked.

    Only the connected components that hold both records of a pair kept apart need this care; the others
    are their components as they stand, found in one pass.
    """
    component = _components(ordered)
    constrained = {component[a] for a, b in apart if a in component and b in component and component[a] == component[b]}
    free: dict[str, list[str]] = {}
    for record, representative in component.items():
        if representative not in constrained:
            free.setdefault(representative, []).append(record)
    groups = list(free.values())
    if not constrained:
        return groups, ordered, {}
    inside = [e for e in ordered if component[e[0]] in constrained]
    outside = [e for e in ordered if component[e[0]] not in constrained]
    records = [record for record, representative in component.items() if representative in constrained]
    forest, inside, review = _join_constrained(records, inside, apart)
    groups.extend(members for members in forest.groups().values() if len(members) > 1)
    return groups, sorted([*outside, *inside], key=lambda e: (-e[2], e[0], e[1])), review


def _join_constrained(
    record_ids: list[str], ordered: list[tuple[str, str, float]], apart: list[tuple[str, str]]
) -> tuple[_Forest, list[tuple[str, str, float]], dict[str, str]]:
    """`_join_keeping_apart` on components that hold pairs kept apart: the forest, edges used, records marked."""
    forest = _Forest(record_ids, apart)
    refused: list[tuple[str, str]] = []
    for a, b, probability in ordered:
        sizes = (forest.size[forest.root(a)], forest.size[forest.root(b)])
        # Refused between two groups of several records each: two people, and a record matching both.
        # A single record kept apart from a group (one record with a date of birth keyed a generation
        # wrong) is the odd one out: the others are not in doubt.
        if not forest.join(a, b, probability) and min(sizes) >= 2:  # noqa: PLR2004
            refused.append((a, b))
    kept_apart = {record for pair in apart for record in pair}
    ambiguous = {record for pair in refused for record in pair if record not in kept_apart}
    if not ambiguous:
        return forest, ordered, {}
    ordered = [e for e in ordered if e[0] not in ambiguous and e[1] not in ambiguous]
    forest = _Forest(record_ids, apart)
    for a, b, probability in ordered:
        forest.join(a, b, probability)
    return forest, ordered, dict.fromkeys(ambiguous, AMBIGUOUS_REASON)


def cluster_records(
    record_ids: list[str],
    edges: list[tuple[str, str, float]],
    policy: ClusterPolicy,
    *,
    apart: Iterable[tuple[str, str]] = (),
) -> pa.Table:
    """Identities of `record_ids` from `edges` (pairs at or above the threshold), checked by `policy`.

    Pairs in `apart` (held back: twins, father and son) never end up in one identity, not even through
    other records: a join that would bring them together is skipped.

    Returns one row per record in input order: `record_id`, `identity_id` (the smallest record id of the
    identity), `identity_size`, `weakest_link` (null for a single record), `density`, `max_links`,
    `review` (why the identity needs a person's review, or null) and `review_group` (for a split
    identity, the smallest record id of the whole it was split from, so a reviewer sees its parts together).
    """
    ordered = sorted(edges, key=lambda e: (-e[2], e[0], e[1]))
    shared, ordered, review = _join_keeping_apart(ordered, list(apart))
    # Per record in an identity of several records (or marked for review); the others are identities of
    # their own, filled in by column below rather than record by record.
    identity: dict[str, str] = {}
    review_group: dict[str, str] = {}
    weakest: dict[str, float | None] = {}
    sizes: dict[str, int] = {}
    for group in check_groups(shared, ordered, policy):
        name = group.members[0]
        weakest[name] = group.weakest_link
        sizes[name] = len(group.members)
        for record in group.members:
            identity[record] = name
            if group.review is not None:
                review[record] = group.review
            if group.review_group is not None:
                review_group[record] = group.review_group
    links: dict[str, int] = {}
    degree: dict[str, int] = {}
    for a, b, _probability in ordered:
        held = identity.get(a)
        if held is not None and held == identity.get(b):
            links[held] = links.get(held, 0) + 1
            degree[a] = degree.get(a, 0) + 1
            degree[b] = degree.get(b, 0) + 1
    max_links: dict[str, int] = {}
    for record, count in degree.items():
        max_links[identity[record]] = max(max_links.get(identity[record], 0), count)
    listed = list(dict.fromkeys([*identity, *review]))
    names = [identity.get(r, r) for r in listed]
    size_list = [sizes.get(n, 1) for n in names]
    known = pa.table(
        {
            "identity_id": pa.array(names, pa.string()),
            "identity_size": pa.array(size_list, pa.int64()),
            "weakest_link": pa.array(
                [weakest.get(n) if s > 1 else None for n, s in zip(names, size_list, strict=True)], pa.float64()
            ),
            "density": pa.array(
                [links.get(n, 0) / (s * (s - 1) / 2) if s > 1 else None for n, s in zip(names, size_list, strict=True)],
                pa.float64(),
            ),
            "max_links": pa.array([max_links.get(n, 0) for n in names], pa.int64()),
            "review": pa.array([review.get(r) for r in listed], pa.string()),
            "review_group": pa.array([review_group.get(r) for r in listed], pa.string()),
        }
    )
    ids = pa.array(record_ids, pa.string())
    rows = known.take(pc.index_in(ids, value_set=pa.array(listed, pa.string())))
    return pa.table(
        {
            "record_id": ids,
            "identity_id": pc.coalesce(rows.column("identity_id"), ids),
            "identity_size": pc.coalesce(rows.column("identity_size"), pa.scalar(1, pa.int64())),
            "weakest_link": rows.column("weakest_link"),
            "density": rows.column("density"),
            "max_links": pc.coalesce(rows.column("max_links"), pa.scalar(0, pa.int64())),
            "review": rows.column("review"),
            "review_group": rows.column("review_group"),
        }
    )
