"""Identities from scored pairs, with the reviewers' decisions applied first.

Plain Python over ids, with no database: the rules are easiest to test and to read here.

1. Must-link pairs (confirmed or merged by a person) are joined first, whatever the model says.
2. The model's pairs at or above the threshold are then joined strongest first, except where the
   join would put two records a person has kept apart (cannot-link) in one identity. So a rejected
   link is not formed again through a third record either.
3. A cannot-link between two records that must-links hold together is a conflict: the must-links
   win (they are the more specific statement) and the conflict is counted, so a person can look.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Clusters:
    groups: list[list[str]]
    conflicts: list[tuple[str, str]] = field(default_factory=list)

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
) -> Clusters:
    """Group `records` into identities; see the module's docstring for the rules.

    Returns every group of two or more records (sorted members, groups sorted by first member).
    """
    found = _UnionFind(records)
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
    return Clusters(groups=groups, conflicts=sorted(set(conflicts)))


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
