"""Staff pages for cases. Each view validates its input and calls one selector; the rules live in
`cases.rules` and `cases.selectors`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bluestone.accounts.models import Role, User
from bluestone.cases.extensions import allocation_advice_for, case_panels_for, case_tabs_for
from bluestone.cases.forms import (
    AllocateForm,
    CaseFilterForm,
    CaseNeedGrantForm,
    ChangeReasonForm,
    JustificationForm,
    RemoveNamedForm,
    RestrictForm,
)
from bluestone.cases.middleware import allowed_under_break_glass
from bluestone.cases.models import Case, CaseAccess, CaseAccessKind, RestrictionChange
from bluestone.cases.rules import first_page_for
from bluestone.cases.search import SEARCH_TERM_MAX_LENGTH, case_search
from bluestone.cases.selectors import (
    DEFAULT_CASE_SORT,
    BreakGlassRequired,
    CaseFilters,
    CaseInScope,
    CaseRestricted,
    CaseScope,
    analysis_case_get,
    analysis_case_get_for_case_need,
    analysts,
    break_glass_for_team,
    break_glass_log,
    case_get_for_break_glass,
    case_get_for_supervision,
    case_get_for_user,
    case_get_in_scope,
    case_list_visible_to,
    offence_class_choices,
)
from bluestone.cases.services import (
    allocation_candidates,
    break_glass_duration,
    break_glass_open,
    case_allocate,
    case_list_view_record,
    case_named_person_remove,
    case_need_duration,
    case_need_record,
    case_restrict,
    case_restriction_lift,
    case_search_record,
    case_view_record,
)
from bluestone.core.pseudonyms import case_key


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required has run)
    return user


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    url_name = first_page_for(user)
    if url_name is None:
        # Every role has a first page; a user whose role has none (a role added without pages) is told so.
        raise PermissionDenied("No page is open to your role. Ask an administrator to check your role.")
    return redirect(url_name)


@dataclass(frozen=True)
class SortableColumn:
    key: str
    label: str
    aria_sort: str  # "ascending", "descending" or "none"
    next_sort: str  # the sort the column's link asks for


# Columns whose first click sorts newest or latest first.
_DESCENDING_FIRST = {"reported"}


def _columns(
    current_sort: str, *, keys: tuple[str, ...] = ("crime_reference", "reported", "offence", "status")
) -> list[SortableColumn]:
    labels = {"crime_reference": "Crime reference", "reported": "Reported", "offence": "Offence", "status": "Status"}
    columns = []
    for key in keys:
        label = labels[key]
        if current_sort.removeprefix("-") == key:
            descending = current_sort.startswith("-")
            aria_sort = "descending" if descending else "ascending"
            next_sort = key if descending else f"-{key}"
        else:
            aria_sort = "none"
            next_sort = f"-{key}" if key in _DESCENDING_FIRST else key
        columns.append(SortableColumn(key=key, label=label, aria_sort=aria_sort, next_sort=next_sort))
    return columns


def _paginate(
    request: HttpRequest, items: QuerySet[Any], *, page_size: int | None = None
) -> tuple[Page[Any], dict[str, Any]]:
    paginator = Paginator(items, page_size or settings.CASE_LIST_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    # Read the rows now, so that the list is logged only once it has been read, and before it is shown.
    page.object_list = list(page.object_list)
    return page, {
        "page": page,
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)),
        "ellipsis": Paginator.ELLIPSIS,
    }


def _filters_for_log(filters: CaseFilters) -> dict[str, Any]:
    return {
        "status": filters.status,
        "offence_class": filters.offence_class,
        "reported_from": filters.reported_from.isoformat() if filters.reported_from else None,
        "reported_to": filters.reported_to.isoformat() if filters.reported_to else None,
        "sort": filters.sort,
    }


def _case_list(request: HttpRequest, *, scope: CaseScope, title: str) -> HttpResponse:
    user = _user(request)
    template = "cases/analysis_list.html" if scope == "analysis" else "cases/case_list.html"
    form = CaseFilterForm(request.GET or None, offence_classes=offence_class_choices())
    context: dict[str, Any] = {"form": form, "title": title, "scope": scope, "page": None}
    if form.is_bound and not form.is_valid():
        # The need-to-know check still runs, so an invalid filter never shows a 200 to a user with no access.
        case_list_visible_to(user=user, filters=CaseFilters(scope=scope))
        return render(request, template, context)

    data = form.cleaned_data if form.is_bound else {}
    sort = data.get("sort") or DEFAULT_CASE_SORT
    if scope == "analysis" and sort.removeprefix("-") == "crime_reference":
        # Analysts see case keys, not crime references, so the references' order is not theirs to see
        # (the selector orders their list so that no column follows it either: ANALYSIS_SORTS).
        sort = DEFAULT_CASE_SORT
    filters = CaseFilters(
        scope=scope,
        status=data.get("status", ""),
        offence_class=data.get("offence_class", ""),
        reported_from=data.get("reported_from"),
        reported_to=data.get("reported_to"),
        sort=sort,
    )
    cases = case_list_visible_to(user=user, filters=filters)
    page, paging = _paginate(request, cases)
    case_list_view_record(
        user=user,
        list_name=scope,
        filters=_filters_for_log(filters),
        count=page.paginator.count,
        page=page.number,
        request=request,
    )
    context.update(paging)
    if scope == "analysis":
        context["rows"] = [
            {"case": case, "key": case_key(case.pk), "month": case.reported_at} for case in page.object_list
        ]
        columns = _columns(filters.sort, keys=("reported", "offence", "status"))
    else:
        columns = _columns(filters.sort)
    context.update(
        {
            "columns": columns,
            "filtered": any(
                [filters.status, filters.offence_class, filters.reported_from, filters.reported_to],
            ),
        }
    )
    return render(request, template, context)


@require_GET
@login_required
def search(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    term = " ".join(request.GET.get("q", "").split())
    context: dict[str, Any] = {"term": term, "results": None, "error": ""}
    if len(term) > SEARCH_TERM_MAX_LENGTH:
        # The need-to-know check still runs first, so the page's answer never tells an outsider anything.
        case_search(user=user, term="")
        context["error"] = f"Search term must be {SEARCH_TERM_MAX_LENGTH} characters or fewer"
        return render(request, "cases/search.html", context)
    results = case_search(user=user, term=term)
    if term:
        case_search_record(user=user, term=term, kinds=results.query.kinds, count=results.count, request=request)
    context["results"] = results if term else None
    return render(request, "cases/search.html", context)


@require_GET
@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    return _case_list(request, scope="mine", title="My cases")


@require_GET
@login_required
def team_cases(request: HttpRequest) -> HttpResponse:
    return _case_list(request, scope="team", title="Team cases")


@require_GET
@login_required
def analysis_cases(request: HttpRequest) -> HttpResponse:
    return _case_list(request, scope="analysis", title="Cases (pseudonymised)")


def _break_glass_page(request: HttpRequest, pk: uuid.UUID, form: JustificationForm, *, status: int) -> HttpResponse:
    # Nothing about the case is on this page: not even its crime reference.
    minutes = int(break_glass_duration().total_seconds() // 60)
    return render(request, "cases/break_glass.html", {"form": form, "pk": pk, "minutes": minutes}, status=status)


def _restricted_page(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/restricted.html", status=403)


def _break_glass_form(data: Any = None) -> JustificationForm:
    return JustificationForm(data, what="to open this case")


@require_GET
@login_required
def case_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        detail = case_get_for_user(user=user, pk=pk)
    except Case.DoesNotExist as error:
        raise Http404("No such case") from error
    except CaseRestricted:
        return _restricted_page(request)
    except BreakGlassRequired:
        return _break_glass_page(request, pk, _break_glass_form(), status=403)
    case_view_record(user=user, case=detail.case, basis=detail.basis, person_ids=detail.person_ids, request=request)
    context = {
        "detail": detail,
        "case": detail.case,
        "case_basis": detail.basis,
        "break_glass_until": detail.break_glass_until,
        "case_tabs": case_tabs_for(user=user, case=detail.case, current="cases:detail"),
        "case_panels": case_panels_for(user=user, case=detail.case),
        "read_only": rules.test_rule("cases.read_only_case", user, detail.case),
        "can_restrict": rules.test_rule("cases.restrict_case", user, detail.case),
        "restriction_history": restriction_history(detail.case),
        "can_allocate": rules.test_rule("cases.allocate_case", user, detail.case),
        "can_grant_case_need": rules.test_rule("cases.grant_case_need", user, detail.case),
    }
    return render(request, "cases/case_detail.html", context)


def case_tab_load(request: HttpRequest, pk: uuid.UUID) -> CaseInScope | HttpResponse:
    """For another app's case tab: the case if the user may see it, or the page to answer with
    instead (404, the restricted page, or the break-glass prompt), exactly as the case page does."""
    user = _user(request)
    try:
        return case_get_in_scope(user=user, pk=pk)
    except Case.DoesNotExist as error:
        raise Http404("No such case") from error
    except CaseRestricted:
        return _restricted_page(request)
    except BreakGlassRequired:
        return _break_glass_page(request, pk, _break_glass_form(), status=403)


def case_tab_context(request: HttpRequest, scoped: CaseInScope, *, current: str) -> dict[str, Any]:
    """What "cases/case_base.html" needs: the case, why the user sees it, and the case's tabs."""
    user = _user(request)
    grant = None
    if scoped.basis == "break_glass":
        grant = (
            CaseAccess.objects.filter(case=scoped.case, user=user, kind=CaseAccessKind.BREAK_GLASS)
            .order_by("-expires_at")
            .values_list("expires_at", flat=True)
            .first()
        )
    return {
        "case": scoped.case,
        "case_basis": scoped.basis,
        "break_glass_until": grant,
        "case_tabs": case_tabs_for(user=user, case=scoped.case, current=current),
        # Break glass: the case is shown without any way to change it (the middleware refuses writes).
        "read_only": rules.test_rule("cases.read_only_case", user, scoped.case),
    }


# Asking again while a grant is in force starts a new grant (with its own reason): no case data changes.
@allowed_under_break_glass
@require_POST
@login_required
def break_glass(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        case = case_get_for_break_glass(user=user, pk=pk)
    except Case.DoesNotExist as error:
        raise Http404("No such case") from error
    except CaseRestricted:
        return _restricted_page(request)
    form = _break_glass_form(request.POST)
    if not form.is_valid():
        return _break_glass_page(request, pk, form, status=200)
    break_glass_open(user=user, case=case, justification=form.cleaned_data["justification"], request=request)
    return redirect("cases:detail", pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def restrict(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        case = case_get_for_supervision(user=user, pk=pk, rule="cases.restrict_case")
    except Case.DoesNotExist as error:
        raise Http404("No such case") from error
    candidates = (
        User.objects.filter(is_active=True, role__in=[Role.INVESTIGATOR, Role.SUPERVISOR])
        .exclude(pk=user.pk)
        .select_related("team")
        .order_by("team__name", "last_name", "first_name", "username")
    )
    form = RestrictForm(request.POST if request.method == "POST" else None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            case_restrict(
                actor=user,
                case=case,
                reason=form.cleaned_data["reason"],
                named_users=form.cleaned_data["named"],
                request=request,
            )
        except ValidationError as error:
            form.add_error("named", error)
        else:
            messages.success(request, "The case is restricted to the people named on it")
            return redirect("cases:detail", pk=pk)
    return render(request, "cases/restrict.html", {"form": form, "case": case})


def restriction_history(case: Case) -> list[RestrictionChange]:
    return list(case.restriction_changes.select_related("person", "created_by").order_by("occurred_at", "created_at"))


@require_http_methods(["GET", "POST"])
@login_required
def restriction(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A restricted case's named people and history, and the forms to take someone off or lift it."""
    user = _user(request)
    try:
        case = case_get_for_supervision(user=user, pk=pk, rule="cases.restrict_case")
    except Case.DoesNotExist as error:
        raise Http404("No such case") from error
    named = User.objects.filter(
        case_accesses__case=case, case_accesses__kind=CaseAccessKind.NAMED, case_accesses__revoked_at__isnull=True
    ).order_by("last_name", "first_name", "username")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    lift = ChangeReasonForm(
        request.POST if action == "lift" else None, prefix="lift", label="Why is the restriction lifted?"
    )
    remove = RemoveNamedForm(request.POST if action == "remove" else None, prefix="remove", named=named)
    failed = None
    if action == "lift" and lift.is_valid():
        try:
            case_restriction_lift(actor=user, case=case, reason=lift.cleaned_data["reason"], request=request)
        except ValidationError as error:
            lift.add_error("reason", error)
        else:
            messages.success(request, "The restriction is lifted: the case is open to its team again")
            return redirect("cases:detail", pk=pk)
    elif action == "remove" and remove.is_valid():
        person = remove.cleaned_data["person"]
        try:
            case_named_person_remove(
                actor=user, case=case, person=person, reason=remove.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            remove.add_error("person" if error.code == "person" else "reason", error)
        else:
            messages.success(request, f"{person} is taken off the case")
            return redirect("cases:restriction", pk=pk)
    if action == "lift" and lift.errors:
        failed = lift
    elif action == "remove" and remove.errors:
        failed = remove
    context = {
        "case": case,
        "named": named,
        "history": restriction_history(case),
        "lift": lift,
        "remove": remove,
        "form": failed,
    }
    return render(request, "cases/restriction.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def allocate(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        case = case_get_for_supervision(user=user, pk=pk, rule="cases.allocate_case")
    except Case.DoesNotExist as error:
        raise Http404("No such case") from error
    candidates = allocation_candidates(case)
    advice = allocation_advice_for(officers=candidates)
    form = AllocateForm(request.POST if request.method == "POST" else None, candidates=candidates)
    choices = [{"officer": officer, "advice": advice.get(officer.pk)} for officer in candidates]
    context = {"form": form, "case": case, "choices": choices}
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["officer"]
        warning = advice.get(chosen.pk)
        if warning is not None and warning.over_threshold and not form.cleaned_data["confirm_over_threshold"]:
            # Warn before allocating: the same page, the officer's load, and "Allocate anyway".
            return render(request, "cases/allocate.html", context | {"over_threshold": chosen, "warning": warning})
        try:
            case_allocate(actor=user, case=case, officer=form.cleaned_data["officer"], request=request)
        except ValidationError as refused:
            form.add_error("officer", refused.message_dict.get("officer", refused.messages)[0])
        else:
            messages.success(request, f"{case.officer} is now the officer in the case")
            return redirect("cases:detail", pk=pk)
    return render(request, "cases/allocate.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def grant_case_need(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        case = case_get_for_supervision(user=user, pk=pk, rule="cases.grant_case_need")
    except Case.DoesNotExist as error:
        raise Http404("No such case") from error
    form = CaseNeedGrantForm(
        request.POST if request.method == "POST" else None, analysts=analysts(), what="the suspects' identities"
    )
    if request.method == "POST" and form.is_valid():
        case_need_record(
            actor=user,
            analyst=form.cleaned_data["analyst"],
            case=case,
            justification=form.cleaned_data["justification"],
            request=request,
        )
        messages.success(request, "The case need is recorded: the analyst can now see the suspects' identities")
        return redirect("cases:detail", pk=pk)
    days = case_need_duration().days
    return render(request, "cases/case_need_grant.html", {"form": form, "case": case, "days": days})


def _analysis_detail_page(request: HttpRequest, pk: uuid.UUID, form: JustificationForm) -> HttpResponse:
    user = _user(request)
    try:
        detail = analysis_case_get(user=user, pk=pk)
    except Case.DoesNotExist as error:
        raise Http404("No such case") from error
    case_view_record(user=user, case=pk, basis="analysis", person_ids=detail.person_ids, request=request)
    return render(request, "cases/analysis_detail.html", {"detail": detail, "form": form})


def _case_need_form(data: Any = None) -> JustificationForm:
    return JustificationForm(data, what="the suspects' identities")


@require_GET
@login_required
def analysis_case_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _analysis_detail_page(request, pk, _case_need_form())


@require_POST
@login_required
def analysis_case_need(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        case = analysis_case_get_for_case_need(user=user, pk=pk)
    except Case.DoesNotExist as error:
        raise Http404("No such case") from error
    form = _case_need_form(request.POST)
    if not form.is_valid():
        return _analysis_detail_page(request, pk, form)
    case_need_record(
        actor=user, analyst=user, case=case, justification=form.cleaned_data["justification"], request=request
    )
    messages.success(request, "Your case need is recorded: the suspects' identities are shown below")
    return redirect("cases:analysis-detail", pk=pk)


def _access_list(request: HttpRequest, *, accesses: QuerySet[Any], list_name: str, template: str) -> HttpResponse:
    user = _user(request)
    page, paging = _paginate(request, accesses)
    case_list_view_record(
        user=user, list_name=list_name, filters={}, count=page.paginator.count, page=page.number, request=request
    )
    rows = [{"access": access, "key": case_key(access.case_id)} for access in page.object_list]
    return render(request, template, {**paging, "rows": rows})


@require_GET
@login_required
def team_break_glass(request: HttpRequest) -> HttpResponse:
    accesses = break_glass_for_team(user=_user(request))
    return _access_list(
        request, accesses=accesses, list_name="team_break_glass", template="cases/team_break_glass.html"
    )


@require_GET
@login_required
def break_glass_log_view(request: HttpRequest) -> HttpResponse:
    accesses = break_glass_log(user=_user(request))
    return _access_list(request, accesses=accesses, list_name="break_glass_log", template="cases/break_glass_log.html")


# --- New case (staff entry) ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    """Record a report as a new case in the user's team; the user is the officer in the case when they
    are an officer of that team. Apps that act on a new case (the plan, the Victims' Code) hear of it."""
    import datetime as dt  # noqa: PLC0415

    from django.core.exceptions import PermissionDenied  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from bluestone.accounts.models import Officer  # noqa: PLC0415
    from bluestone.cases.entry import PersonDetails, case_create  # noqa: PLC0415
    from bluestone.cases.forms import CaseNewForm  # noqa: PLC0415
    from bluestone.cases.models import Role as PersonRole  # noqa: PLC0415
    from bluestone.core import clock  # noqa: PLC0415
    from bluestone.core.models import OffenceClass  # noqa: PLC0415

    user = _user(request)
    if not rules.test_rule("cases.view_team_cases", user):
        raise PermissionDenied("Only investigators and supervisors in a team can record a new case.")
    form = CaseNewForm(request.POST if request.method == "POST" else None, offence_classes=offence_class_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = [
            PersonDetails(
                role=PersonRole.VICTIM, first_name=data["victim_first_name"], last_name=data["victim_last_name"]
            )
        ]
        if data["suspect_first_name"] or data["suspect_last_name"] or data["suspect_relationship"]:
            people.append(
                PersonDetails(
                    role=PersonRole.SUSPECT,
                    first_name=data["suspect_first_name"],
                    last_name=data["suspect_last_name"],
                    relationship_to_victim=data["suspect_relationship"],
                )
            )
        reported = data["reported_on"]
        # A report dated today is recorded at this moment; an earlier one at the start of its day.
        reported_at = (
            clock.now()
            if reported == clock.today()
            else timezone.make_aware(dt.datetime.combine(reported, dt.time(9, 0)))
        )
        try:
            case = case_create(
                actor=user,
                offence_class=OffenceClass.objects.get(code=data["offence_class"]),
                team=user.team,  # type: ignore[arg-type]  # the rule above requires a team
                reported_at=reported_at,
                offence_from=data["offence_from"],
                how_reported=data["how_reported"],
                officer=Officer.objects.filter(user=user, team=user.team).first(),
                summary=data["summary"],
                people=people,
                request=request,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, f"Case {case.crime_reference} is recorded")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_new.html", {"form": form})
