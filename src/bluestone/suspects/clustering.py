"""Identities from scored pairs, with the reviewers' decisions applied first.

Plain Python over ids, with no database: the rules are easiest to test and to read here.

1. Must-link pairs (confirmed or merged by a person) are joined first, whatever the model says.
2. The model's pairs at or above the threshold are then joined strongest first, except where the
   join would put two records a person has kept apart (cannot-link) in one identity. So a rejected
   link is not formed again through a third record either.
3. A cannot-link between two records that must-links hold together is a conflict: the must-links
   win (they are the more specific statement) and the conflict is counted, so a person can look.
4. Pairs the model held back (twins, a household, father and son: `held`) are kept apart like a
   cannot-link, unless a person's must-links hold them together.
5. Every identity is then checked (`bluestone.linkage.clusters.check_groups`): one whose groups of
   records only join through a weak pair is split, and one that hangs on a weak link or is larger than
   allowed is marked for review; a person's must-links count as sure pairs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bluestone.linkage import ClusterPolicy
from bluestone.linkage.clusters import CheckedGroup, check_groups


@dataclass
class Clusters:
    groups: list[list[str]]
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    checked: list[CheckedGroup] = field(default_factory=list)
    """The groups with their checks, in the same order as `groups`."""

    def group_of(self) -> dict[str, int]:
        return {record: index for index, members in enumerate(self.groups) for record in members}


class _UnionFind:
    def __init__(self, records: Iterable[str]) -> None:
        self.parent = {r: r for r in records}
        self.members: dict[str, set[str]] = {r: {r} for r in self.parent}

    def add(self, record: str) -> None:
        if record not in self.parent:
            self.parent[record] = record
            self.members[record] = {record}

    def root(self, record: str) -> str:
        while self.parent[record] != record:
            self.parent[record] = self.parent[self.parent[record]]
            record = self.parent[record]
        return record

    def union(self, a: str, b: str) -> str:
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return ra
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        return ra


def cluster(
    *,
    records: Iterable[str],
    pairs: Iterable[tuple[str, str, float]],
    threshold: float,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
    held: Iterable[tuple[str, str]] = (),
    policy: ClusterPolicy | None = None,
) -> Clusters:
    """Group `records` into identities; see the module's docstring for the rules.

    Returns every group of two or more records (sorted members, groups sorted by first member).
    """
    found = _UnionFind(records)
    must_link = list(must_link)
    for a, b in must_link:
        found.add(a)
        found.add(b)
        found.union(a, b)
    apart: dict[str, set[str]] = {}
    conflicts: list[tuple[str, str]] = []
    for a, b in cannot_link:
        found.add(a)
        found.add(b)
        if found.root(a) == found.root(b):
            conflicts.append((min(a, b), max(a, b)))
            continue
        apart.setdefault(a, set()).add(b)
        apart.setdefault(b, set()).add(a)
    for a, b in held:
        if a in found.parent and b in found.parent and found.root(a) != found.root(b):
            apart.setdefault(a, set()).add(b)
            apart.setdefault(b, set()).add(a)
    strong = sorted((p for p in pairs if p[2] >= threshold), key=lambda p: (-p[2], p[0], p[1]))
    for a, b, _probability in strong:
        found.add(a)
        found.add(b)
        ra, rb = found.root(a), found.root(b)
        if ra == rb:
            continue
        small, large = sorted((found.members[ra], found.members[rb]), key=len)
        if any(apart.get(record, set()) & large for record in small):
            continue
        found.union(a, b)
    groups = sorted(sorted(m) for m in found.members.values() if len(m) > 1)
    sure = [(a, b, 1.0) for a, b in must_link]
    checked = check_groups(groups, [*strong, *sure], policy or ClusterPolicy())
    checked.sort(key=lambda group: group.members)
    return Clusters(groups=[g.members for g in checked], conflicts=sorted(set(conflicts)), checked=checked)


def carry_over(*, new_groups: list[list[str]], old_identity_of: dict[str, str]) -> list[str | None]:
    """Which existing identity each new group keeps, so identities stay stable from run to run.

    Each group takes the old identity it shares most records with (ties: the identity with the smaller
    id); an old identity goes to one group only, the one sharing most with it. None: a new identity.
    """
    candidates: list[tuple[int, str, int]] = []  # (-shared, old identity, group index)
    for index, members in enumerate(new_groups):
        counts: dict[str, int] = {}
        for record in members:
            old = old_identity_of.get(record)
            if old is not None:
                counts[old] = counts.get(old, 0) + 1
        candidates.extend((-shared, old, index) for old, shared in counts.items())
    chosen: list[str | None] = [None] * len(new_groups)
    taken: set[str] = set()
    for _shared, old, index in sorted(candidates, key=lambda c: (c[0], c[1], c[2])):
        if chosen[index] is None and old not in taken:
            chosen[index] = old
            taken.add(old)
    return chosen
