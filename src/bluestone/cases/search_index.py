"""The case search index: standardised tokens for each person on each case, and the same tokens for a
search term, so that a search matches what linkage would call the same name, date, postcode or phone.

Values are cleaned by the linkage standardisation (`bluestone.linkage.standardising`, one vectorised
pass over every row), then written as plain tokens that any full-text engine matches exactly:

- each name word, the names it may stand for (the linkage nickname list: "bill" for William), and
  its one-edit variants ("zq" and the word with one letter dropped), so a word with one letter
  wrong, missing, added or swapped with its neighbour still matches ("jonh" and "john" share "zqjon");
- the date of birth as `dob` and YYYYMMDD; postcodes as `pc` and the postcode without spaces;
- phone numbers as `tel` and the E.164 digits; identifiers (a PNC ID in its full form) as `id` and
  the identifier.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import pyarrow as pa
from django.db import connection, transaction

from bluestone.cases.events import PeopleChanged
from bluestone.cases.models import (
    Involvement,
    PersonAddress,
    PersonIdentifier,
    PersonPhone,
    PersonRecord,
    SearchEntry,
)

# The linkage standardisation (`bluestone.linkage.standardising`) brings DuckDB, pandas and Splink with it:
# it is imported where an index refresh or a search needs it, not when the app starts, so that every
# process (a command, a web worker) starts without those libraries until it uses them.

# Words shorter than this get no typo variants: one edit away from a three-letter name is too many names.
_TYPO_MIN_LENGTH = 4
_TYPO_PREFIX = "zq"
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
_PNC = re.compile(r"^[0-9]{4}/[0-9]{7}[A-Z]$")
_TOKEN = re.compile(r"^[a-z0-9]+$")
_BATCH = 2000


@functools.cache
def _related_names() -> dict[str, tuple[str, ...]]:
    from bluestone.linkage.standardising import load_nicknames  # noqa: PLC0415  (see the note above)

    table = load_nicknames()
    names = table.column("name").to_pylist()
    related = table.column("related").to_pylist()
    return {
        name: tuple(r for r in group.strip("|").split("|") if _TOKEN.match(r))
        for name, group in zip(names, related, strict=True)
    }


def _typo_variants(word: str) -> set[str]:
    if len(word) < _TYPO_MIN_LENGTH:
        return set()
    return {_TYPO_PREFIX + word} | {_TYPO_PREFIX + word[:i] + word[i + 1 :] for i in range(len(word))}


def name_word_tokens(word: str) -> set[str]:
    """Everything a name word matches: itself, the names it may stand for, and its one-edit variants."""
    if not _TOKEN.match(word):
        return set()
    return {word} | set(_related_names().get(word, ())) | _typo_variants(word)


def _words(*values: str | None) -> list[str]:
    return [word for value in values if value for word in value.split() if _TOKEN.match(word)]


def _alnum(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", value.lower())


# --- The index -------------------------------------------------------------------------------------


def _tokens_for(involvements: Iterable[tuple[int, uuid.UUID]]) -> dict[int, str]:
    """One row per thing to standardise (a person's names and date of birth, each alias, postcode,
    phone and identifier), keyed to the involvement it belongs to."""
    by_person: dict[uuid.UUID, list[int]] = defaultdict(list)
    for involvement_id, person_id in involvements:
        by_person[person_id].append(involvement_id)
    columns: dict[str, list[str | None]] = defaultdict(list)
    owner: dict[str, uuid.UUID] = {}

    def add(record_id: str, person_id: uuid.UUID, **values: str | None) -> None:
        owner[record_id] = person_id
        columns["record_id"].append(record_id)
        for name in ("first_name", "middle_names", "last_name", "date_of_birth", "postcode", "phone", "identifier"):
            columns[name].append(values.get(name))

    person_ids = list(by_person)
    for start in range(0, len(person_ids), _BATCH):
        chunk = person_ids[start : start + _BATCH]
        for pk, first, middle, last, aliases, dob in PersonRecord.objects.filter(pk__in=chunk).values_list(
            "pk", "first_name", "middle_names", "last_name", "aliases", "date_of_birth"
        ):
            add(
                f"n{pk}",
                pk,
                first_name=first,
                middle_names=middle,
                last_name=last,
                date_of_birth=dob.isoformat() if dob else None,
            )
            for index, alias in enumerate(aliases or []):
                if isinstance(alias, str):
                    add(f"a{pk}:{index}", pk, last_name=alias)
        for address_pk, person_id, postcode in PersonAddress.objects.filter(person_id__in=chunk).values_list(
            "pk", "person_id", "postcode"
        ):
            add(f"p{address_pk}", person_id, postcode=postcode)
        for phone_pk, person_id, number in PersonPhone.objects.filter(person_id__in=chunk).values_list(
            "pk", "person_id", "number"
        ):
            add(f"t{phone_pk}", person_id, phone=number)
        for identifier_pk, person_id, value in PersonIdentifier.objects.filter(person_id__in=chunk).values_list(
            "pk", "person_id", "value"
        ):
            add(f"i{identifier_pk}", person_id, identifier=value)
    table = pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})
    tokens_by_person = _tokens_by_person(table, owner)
    return {
        involvement_id: tokens_by_person.get(person_id, "")
        for person_id, ids in by_person.items()
        for involvement_id in ids
    }


def _tokens_by_person(table: pa.Table, owner: dict[str, uuid.UUID]) -> dict[uuid.UUID, str]:
    if table.num_rows == 0:
        return {}
    from bluestone.linkage.standardising import standardise  # noqa: PLC0415  (see the note at the imports)

    standardised, _issues = standardise(table)
    tokens: dict[uuid.UUID, set[str]] = defaultdict(set)
    for row in standardised.select(
        ["unique_id", "first_name", "middle_names", "last_name", "dob", "postcode", "phone", "identifier"]
    ).to_pylist():
        found = tokens[owner[row["unique_id"]]]
        for word in _words(row["first_name"], row["middle_names"], row["last_name"]):
            found |= name_word_tokens(word)
        if row["dob"]:
            found.add("dob" + row["dob"].replace("-", ""))
        if row["postcode"]:
            found.add("pc" + row["postcode"].lower())
        if row["phone"]:
            found.add("tel" + _alnum(row["phone"]))
        if row["identifier"]:
            found.add("id" + _alnum(row["identifier"]))
    return {person_id: " ".join(sorted(words)) for person_id, words in tokens.items()}


def search_index_refresh(*, case_ids: Collection[uuid.UUID] | None = None) -> int:
    """Rebuild the search entries of the people on `case_ids` (every case when None); returns how many
    entries were written. Call it inside the transaction that changed the people, so the index and
    the records commit together."""
    involvements = Involvement.objects.all()
    if case_ids is not None:
        involvements = involvements.filter(case_id__in=list(case_ids))
    rows = list(involvements.values_list("pk", "person_id", "case_id"))
    tokens = _tokens_for((pk, person_id) for pk, person_id, _case in rows)
    with transaction.atomic():
        stale = SearchEntry.objects.all() if case_ids is None else SearchEntry.objects.filter(case_id__in=case_ids)
        stale.delete()
        SearchEntry.objects.bulk_create(
            [SearchEntry(case_id=case_id, involvement_id=pk, tokens=tokens.get(pk, "")) for pk, _p, case_id in rows],
            batch_size=_BATCH,
        )
    return len(rows)


def on_people_changed(event: PeopleChanged) -> None:
    search_index_refresh(case_ids=[event.case_id])


# --- A search term ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchQuery:
    """What a term was read as. A person matches when any one alternative matches: a date of birth,
    a postcode, a phone, an identifier, or every name word (each through any of its variants)."""

    term: str
    kinds: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()
    name_words: tuple[tuple[str, ...], ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not self.alternatives and not self.name_words


def search_query_read(term: str) -> SearchQuery:
    """Read a search term as the index's tokens, through the same standardisation as the index."""
    term = " ".join(term.split())
    if not term:
        return SearchQuery(term="")
    return _search_query_standardised(term)


# The standardisation opens a DuckDB connection for each call (tens of milliseconds, more than the search's
# queries on a large force); a term reads the same way every time, so the last terms read are kept.
@functools.lru_cache(maxsize=1024)
def _search_query_standardised(term: str) -> SearchQuery:
    table = pa.table(
        {
            name: pa.array([value], pa.string())
            for name, value in (
                ("record_id", "q"),
                ("last_name", term),
                ("date_of_birth", term),
                ("postcode", term),
                ("phone", term),
                ("identifier", term),
            )
        }
    )
    from bluestone.linkage.standardising import standardise  # noqa: PLC0415  (see the note at the imports)

    row = standardise(table)[0].to_pylist()[0]
    kinds: list[str] = []
    alternatives: list[str] = []
    if row["dob"]:
        kinds.append("date of birth")
        alternatives.append("dob" + row["dob"].replace("-", ""))
    if row["postcode"] and _POSTCODE.match(row["postcode"]):
        kinds.append("postcode")
        alternatives.append("pc" + row["postcode"].lower())
    if row["phone"]:
        kinds.append("phone")
        alternatives.append("tel" + _alnum(row["phone"]))
    identifier = row["identifier"] or ""
    if _PNC.match(identifier):
        kinds.append("PNC ID")
        alternatives.append("id" + _alnum(identifier))
    elif identifier and any(ch.isdigit() for ch in identifier) and not alternatives:
        kinds.append("identifier")
        alternatives.append("id" + _alnum(identifier))
    name_words: tuple[tuple[str, ...], ...] = ()
    if not alternatives:
        words = _words(row["last_name"])
        name_words = tuple(tuple(sorted(name_word_tokens(word))) for word in words)
        if name_words:
            kinds.append("name")
    return SearchQuery(term=term, kinds=tuple(kinds), alternatives=tuple(alternatives), name_words=name_words)


def match_sql(query: SearchQuery) -> tuple[str, list[str]]:
    """A condition on cases_searchentry that holds for the entries that match `query`, for the engine in use.

    On PostgreSQL it is the full-text test itself (not a subquery of matching ids), so that the planner
    can combine the full-text index with the other conditions of the search instead of reading every entry.
    """
    postgres = connection.vendor == "postgresql"
    either, both = (" | ", " & ") if postgres else (" OR ", " AND ")

    def quote(token: str) -> str:
        # Tokens are [a-z0-9]+ (checked when made), so quoting never meets a quote inside one.
        return token if postgres else f'"{token}"'

    parts = [quote(token) for token in query.alternatives]
    if query.name_words:
        parts.append(
            "(" + both.join("(" + either.join(quote(t) for t in group) + ")" for group in query.name_words) + ")"
        )
    expression = either.join(parts)
    if postgres:
        return (
            "to_tsvector('simple', cases_searchentry.tokens) @@ to_tsquery('simple', %s)",
            [expression],
        )
    return (
        "cases_searchentry.id IN (SELECT rowid FROM cases_searchentry_fts WHERE cases_searchentry_fts MATCH %s)",
        [expression],
    )
