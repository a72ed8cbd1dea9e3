"""Case search for investigators and supervisors: by crime reference, name, date of birth, PNC ID,
phone or postcode, over the cases the user may open (need-to-know as on the case page)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from bluestone.accounts.models import User
from bluestone.cases.models import Case, Involvement, SearchEntry
from bluestone.cases.search_index import SearchQuery, match_sql, search_query_read
from bluestone.cases.selectors import ROLE_ORDER, cases_user_may_see

SEARCH_RESULT_LIMIT = 50
SEARCH_TERM_MAX_LENGTH = 100


@dataclass(frozen=True)
class SearchHit:
    case: Case
    by_reference: bool
    # The people on the case who match, as (name, role label), in the case page's role order.
    people: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SearchResults:
    query: SearchQuery
    hits: tuple[SearchHit, ...]
    count: int
    """How many cases matched (the page shows the first SEARCH_RESULT_LIMIT)."""


def case_search(*, user: User, term: str) -> SearchResults:
    """The cases `user` may see that match `term`, newest reported first.

    Raises PermissionDenied for anyone who does not work cases (analysts, auditors, triage staff).
    """
    visible = cases_user_may_see(user)
    query = search_query_read(term)
    if not query.term:
        return SearchResults(query=query, hits=(), count=0)
    reference = Q(crime_reference__iexact=query.term)
    matched_involvements: dict[uuid.UUID, list[int]] = defaultdict(list)
    people_match = Q(pk__in=[])
    if not query.is_empty:
        sql, params = match_sql(query)
        # S611: the SQL is one of two constant statements; the term reaches it only as a parameter.
        matching = RawSQL(sql, params, output_field=BooleanField())  # noqa: S611
        entries = SearchEntry.objects.filter(matching).filter(case__in=Case.objects.filter(visible))
        for case_id, involvement_id in entries.values_list("case_id", "involvement_id"):
            matched_involvements[case_id].append(involvement_id)
        people_match = Q(pk__in=list(matched_involvements))
    cases = Case.objects.filter(visible).filter(reference | people_match).select_related("offence_class")
    count = cases.count()
    page = list(cases.order_by("-reported_at", "crime_reference")[:SEARCH_RESULT_LIMIT])
    wanted = [i for case in page for i in matched_involvements.get(case.pk, [])]
    involvements = {
        i.pk: i
        for i in Involvement.objects.filter(pk__in=wanted).select_related("person").order_by("person__last_name")
    }
    order: dict[str, int] = {str(role): index for index, role in enumerate(ROLE_ORDER)}
    hits = []
    for case in page:
        people = sorted(
            (involvements[i] for i in matched_involvements.get(case.pk, []) if i in involvements),
            key=lambda i: (order.get(i.role, len(order)), i.person.last_name, i.person.first_name),
        )
        hits.append(
            SearchHit(
                case=case,
                by_reference=case.crime_reference.lower() == query.term.lower(),
                people=tuple((i.person.full_name or "Unnamed person", i.get_role_display()) for i in people),
            )
        )
    return SearchResults(query=query, hits=tuple(hits), count=count)
