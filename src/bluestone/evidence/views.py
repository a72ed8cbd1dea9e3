"""Evidence pages: the case's Evidence tab and what hangs off it, the supervisors' requests to
authorise, and the SARC register. Views parse input and call one selector or service each; every
page that shows personal data logs its consultation before it is shown."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from bluestone.accounts.models import User
from bluestone.cases.middleware import read_only_page
from bluestone.cases.models import Case
from bluestone.cases.selectors import CaseInScope
from bluestone.cases.views import case_tab_context, case_tab_load
from bluestone.evidence import selectors, services
from bluestone.evidence.clocks import phone_return_hours, sarc_retention_years, sarc_warning_days
from bluestone.evidence.forms import (
    DecisionForm,
    DestroyForm,
    ExhibitForm,
    MoveForm,
    NoteForm,
    ReplacementForm,
    RequestForm,
    RetainForm,
    ReturnForm,
    SarcDestroyForm,
    SarcLinkForm,
    SarcSampleForm,
    apply_service_errors,
    now_initial,
)
from bluestone.evidence.models import (
    DigitalRequest,
    Exhibit,
    HowObtained,
    ItemKind,
    NoticeKind,
    Owner,
    RequestKind,
    SarcSample,
)
from bluestone.evidence.services.plan_lines import decided_with_action
from bluestone.investigation.models import ApprovalState

TAB = "evidence:case-evidence"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (login_required has run)
    return user


def _data(request: HttpRequest) -> Any:
    # Bound on every POST, even an empty one, so that an empty form shows its errors.
    return request.POST if request.method == "POST" else None


def _load(request: HttpRequest, pk: uuid.UUID) -> CaseInScope | HttpResponse:
    return case_tab_load(request, pk)


# Pages that are only a way to change the case: under break glass (read only) they are not shown.
_FORM_PAGES = {"evidence/request_kind.html"}


def _render(request: HttpRequest, scoped: CaseInScope, template: str, context: dict[str, Any]) -> HttpResponse:
    tab = case_tab_context(request, scoped, current=TAB)
    if tab["read_only"] and ("form" in context or template in _FORM_PAGES):
        return read_only_page(request, scoped.case)
    return render(request, template, tab | context)


def _log(
    request: HttpRequest, case: Case, view: str, object_type: str, *, object_id: Any = "", person_ids: Any = ()
) -> None:
    services.evidence_view_record(
        user=_user(request),
        case_id=case.pk,
        view=view,
        object_type=object_type,
        object_id=object_id,
        person_ids=[str(p) for p in person_ids if p],
        request=request,
    )


# --- The Evidence tab ----------------------------------------------------------------------------


@require_GET
@login_required
def case_evidence(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    scoped = _load(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    evidence = selectors.case_evidence_get(user=_user(request), case=scoped.case)
    _log(request, scoped.case, "evidence tab", "cases.Case", object_id=scoped.case.pk, person_ids=evidence.person_ids)
    return _render(
        request,
        scoped,
        "evidence/case_evidence.html",
        {"evidence": evidence, "return_hours": phone_return_hours(), "kinds": RequestKind.choices},
    )


# --- Exhibits ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def exhibit_new(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    scoped = _load(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    user, case = _user(request), scoped.case
    people = selectors.case_people_in_role(
        user=user, case=case, role=selectors.VICTIM_ROLE
    ) + selectors.case_people_in_role(user=user, case=case, role=selectors.SUSPECT_ROLE)
    device_requests = selectors.authorised_device_requests(user=user, case=case)
    initial: dict[str, Any] = now_initial("obtained_at")
    chosen = request.GET.get("request")
    for entry in device_requests:
        if str(entry.pk) == chosen:
            # Coming from an authorised request: the victim's phone, handed over voluntarily.
            initial |= {
                "digital_request": entry.pk,
                "owner": Owner.VICTIM,
                "item_kind": ItemKind.MOBILE_PHONE,
                "how_obtained": HowObtained.RECEIVED,
                "person": entry.person_id,
            }
    form = ExhibitForm(_data(request), initial=initial, people=people, requests=device_requests)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = services.ExhibitDetails(
            reference=data["reference"],
            description=data["description"],
            owner=data["owner"],
            item_kind=data["item_kind"],
            how_obtained=data["how_obtained"],
            obtained_at=data["obtained_at"],
            obtained_from=data["obtained_from"],
            handled_by=data["handled_by"],
            location=data["location"],
            person=data["person"],
            digital_request=data["digital_request"],
        )
        try:
            exhibit = services.exhibit_create(actor=user, case=case, details=details, request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Exhibit {exhibit.reference} recorded")
            return redirect("evidence:exhibit", pk=pk, exhibit_id=exhibit.pk)
    _log(request, case, "new exhibit", "cases.Case", object_id=case.pk, person_ids=[p.pk for p in people])
    return _render(request, scoped, "evidence/exhibit_new.html", {"form": form, "return_hours": phone_return_hours()})


def _exhibit(request: HttpRequest, scoped: CaseInScope, exhibit_id: uuid.UUID) -> selectors.ExhibitDetail:
    try:
        return selectors.exhibit_get(user=_user(request), case=scoped.case, pk=exhibit_id)
    except Exhibit.DoesNotExist as error:
        raise Http404("No such exhibit") from error


@require_GET
@login_required
def exhibit_detail(request: HttpRequest, pk: uuid.UUID, exhibit_id: uuid.UUID) -> HttpResponse:
    scoped = _load(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    detail = _exhibit(request, scoped, exhibit_id)
    exhibit = detail.exhibit
    _log(request, scoped.case, "exhibit", "evidence.Exhibit", object_id=exhibit.pk, person_ids=[exhibit.person_id])
    return _render(
        request,
        scoped,
        "evidence/exhibit_detail.html",
        {
            "detail": detail,
            "exhibit": exhibit,
            "row": detail.row,
            "return_hours": phone_return_hours(),
            "can_destroy": _can(request, "evidence.destroy_exhibit", scoped.case),
        },
    )


def _can(request: HttpRequest, rule: str, case: Case) -> bool:
    import rules  # noqa: PLC0415 (only the templates' buttons need it)

    return bool(rules.test_rule(rule, _user(request), case))


def _exhibit_action(
    request: HttpRequest,
    pk: uuid.UUID,
    exhibit_id: uuid.UUID,
    *,
    form_class: type[Any],
    template: str,
    initial: dict[str, Any],
    act: Any,
    done: str,
    for_destruction: bool = False,
) -> HttpResponse:
    scoped = _load(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    user = _user(request)
    if for_destruction:
        try:
            selectors.exhibit_get_for_destruction(user=user, case=scoped.case, pk=exhibit_id)
        except Exhibit.DoesNotExist as error:
            raise Http404("No such exhibit") from error
    detail = _exhibit(request, scoped, exhibit_id)
    exhibit = detail.exhibit
    form = form_class(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            act(user, exhibit, form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done.format(reference=exhibit.reference))
            return redirect("evidence:exhibit", pk=pk, exhibit_id=exhibit.pk)
    _log(
        request,
        scoped.case,
        template.rsplit("/", 1)[-1].removesuffix(".html"),
        "evidence.Exhibit",
        object_id=exhibit.pk,
        person_ids=[exhibit.person_id],
    )
    return _render(request, scoped, template, {"form": form, "exhibit": exhibit, "row": detail.row})


@require_http_methods(["GET", "POST"])
@login_required
def exhibit_move(request: HttpRequest, pk: uuid.UUID, exhibit_id: uuid.UUID) -> HttpResponse:
    def act(user: User, exhibit: Exhibit, data: dict[str, Any]) -> None:
        services.exhibit_move(
            actor=user,
            exhibit=exhibit,
            to_location=data["to_location"],
            handled_by=data["handled_by"],
            moved_at=data["moved_at"],
            reason=data["reason"],
            request=request,
        )

    return _exhibit_action(
        request,
        pk,
        exhibit_id,
        form_class=MoveForm,
        template="evidence/exhibit_move.html",
        initial=now_initial("moved_at"),
        act=act,
        done="Movement of exhibit {reference} recorded",
    )


@require_http_methods(["GET", "POST"])
@login_required
def exhibit_return(request: HttpRequest, pk: uuid.UUID, exhibit_id: uuid.UUID) -> HttpResponse:
    def act(user: User, exhibit: Exhibit, data: dict[str, Any]) -> None:
        services.exhibit_return(
            actor=user,
            exhibit=exhibit,
            returned_to=data["returned_to"],
            returned_at=data["returned_at"],
            authority=data["authority"],
            handled_by=data["handled_by"],
            request=request,
        )

    return _exhibit_action(
        request,
        pk,
        exhibit_id,
        form_class=ReturnForm,
        template="evidence/exhibit_return.html",
        initial=now_initial("returned_at"),
        act=act,
        done="Exhibit {reference} recorded as given back",
    )


@require_http_methods(["GET", "POST"])
@login_required
def exhibit_replacement(request: HttpRequest, pk: uuid.UUID, exhibit_id: uuid.UUID) -> HttpResponse:
    def act(user: User, exhibit: Exhibit, data: dict[str, Any]) -> None:
        services.exhibit_replacement_record(
            actor=user, exhibit=exhibit, provided_at=data["provided_at"], request=request
        )

    return _exhibit_action(
        request,
        pk,
        exhibit_id,
        form_class=ReplacementForm,
        template="evidence/exhibit_replacement.html",
        initial=now_initial("provided_at"),
        act=act,
        done="Replacement phone recorded: the return clock for exhibit {reference} has stopped",
    )


@require_http_methods(["GET", "POST"])
@login_required
def exhibit_destroy(request: HttpRequest, pk: uuid.UUID, exhibit_id: uuid.UUID) -> HttpResponse:
    def act(user: User, exhibit: Exhibit, data: dict[str, Any]) -> None:
        services.exhibit_destroy(
            actor=user,
            exhibit=exhibit,
            authority=data["authority"],
            destroyed_at=data["destroyed_at"],
            confirmed=data["confirmed"],
            request=request,
        )

    return _exhibit_action(
        request,
        pk,
        exhibit_id,
        form_class=DestroyForm,
        template="evidence/exhibit_destroy.html",
        initial=now_initial("destroyed_at"),
        act=act,
        done="Destruction of exhibit {reference} recorded",
        for_destruction=True,
    )


@require_http_methods(["GET", "POST"])
@login_required
def exhibit_retain(request: HttpRequest, pk: uuid.UUID, exhibit_id: uuid.UUID) -> HttpResponse:
    def act(user: User, exhibit: Exhibit, data: dict[str, Any]) -> None:
        services.exhibit_retain(actor=user, exhibit=exhibit, reason=data["reason"], request=request)

    return _exhibit_action(
        request,
        pk,
        exhibit_id,
        form_class=RetainForm,
        template="evidence/exhibit_retain.html",
        initial={},
        act=act,
        done="Recorded why exhibit {reference} is kept",
    )


# --- Requests ------------------------------------------------------------------------------------


@require_GET
@login_required
def request_new(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    scoped = _load(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    selectors.case_evidence_get(user=_user(request), case=scoped.case)  # need-to-know, nothing shown
    return _render(request, scoped, "evidence/request_kind.html", {"kinds": RequestKind.choices})


_NOTICE_KIND = {
    RequestKind.VICTIM_DEVICE: NoticeKind.VICTIM_DEVICE,
    RequestKind.VICTIM_THIRD_PARTY: NoticeKind.THIRD_PARTY,
}


def _request_details(kind: str, form: RequestForm) -> services.RequestDetails:
    data = form.cleaned_data
    return services.RequestDetails(
        kind=kind,
        line_of_enquiry=data["line_of_enquiry"],
        plan_line=data["plan_line"],
        purpose=data["purpose"],
        necessity_rationale=data["necessity_rationale"],
        less_intrusive_options=data["less_intrusive_options"],
        person=data["person"],
        data_categories=list(data["data_categories"]),
        scope_from=data["scope_from"],
        scope_to=data["scope_to"],
        selective_extraction=data["selective_extraction"],
        selective_extraction_detail=data["selective_extraction_detail"],
        given_voluntarily=data["given_voluntarily"],
        victim_agreed=form.victim_agreed_value,
        notice_given_on=data["notice_given_on"],
        notice_elements=list(data["notice_elements"]),
        holder=data["holder"],
        holder_kind=data["holder_kind"],
        holder_believed_to_hold=data["holder_believed_to_hold"],
        material=data["material"],
        relevance=data["relevance"],
        substantial_probative_value=data["substantial_probative_value"],
        notice_exception=data["notice_exception"],
        notice_exception_reason=data["notice_exception_reason"],
        legal_basis=data["legal_basis"],
    )


def _from_plan_line(request: HttpRequest, lines: Any) -> dict[str, Any]:
    """Opened from a line of enquiry's page (?line=<id>): the request starts linked to it, with its
    title as the line of enquiry and, for a victim-focused action, what the officer already gave with
    it (the rationale, the less intrusive ways considered, the victim's agreement), so nothing is typed
    twice. A line of another case is not offered, so it is ignored."""
    try:
        line = lines.filter(pk=uuid.UUID(request.GET.get("line", ""))).first()
    except ValueError:
        return {}
    if line is None:
        return {}
    initial: dict[str, Any] = {"plan_line": line.pk, "line_of_enquiry": line.title}
    if line.rationale:
        initial["necessity_rationale"] = line.rationale
    if line.less_intrusive_considered:
        initial["less_intrusive_options"] = line.less_intrusive_considered
    if line.intrusive_kind == "phone_download" and line.victim_agreed:
        initial["victim_agreed"] = "yes"
        initial["given_voluntarily"] = True
    return initial


@require_http_methods(["GET", "POST"])
@login_required
def request_new_kind(request: HttpRequest, pk: uuid.UUID, kind: str) -> HttpResponse:
    scoped = _load(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    if kind not in RequestKind.values:
        raise Http404("No such kind of request")
    user, case = _user(request), scoped.case
    about_victim = kind in (RequestKind.VICTIM_DEVICE, RequestKind.VICTIM_THIRD_PARTY)
    role = selectors.VICTIM_ROLE if about_victim else selectors.SUSPECT_ROLE
    people = selectors.case_people_in_role(user=user, case=case, role=role)
    lines = selectors.case_plan_lines(case)
    form = RequestForm(
        _data(request),
        kind=kind,
        people=people,
        notice_kind=_NOTICE_KIND.get(RequestKind(kind), ""),
        lines=lines,
        initial=_from_plan_line(request, lines),
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.digital_request_create(
                actor=user, case=case, details=_request_details(kind, form), request=request
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Request recorded: {entry.get_status_display().lower()}")
            return redirect("evidence:request", pk=pk, request_id=entry.pk)
    _log(request, case, "new request", "cases.Case", object_id=case.pk, person_ids=[p.pk for p in people])
    return _render(
        request,
        scoped,
        "evidence/request_new.html",
        {"form": form, "kind": kind, "kind_label": RequestKind(kind).label, "about_victim": about_victim},
    )


def _request(
    request: HttpRequest, scoped: CaseInScope, request_id: uuid.UUID, *, decision: bool = False
) -> DigitalRequest:
    getter = selectors.digital_request_get_for_decision if decision else selectors.digital_request_get
    try:
        return getter(user=_user(request), case=scoped.case, pk=request_id)
    except DigitalRequest.DoesNotExist as error:
        raise Http404("No such request") from error


@require_GET
@login_required
def request_detail(request: HttpRequest, pk: uuid.UUID, request_id: uuid.UUID) -> HttpResponse:
    scoped = _load(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    entry = _request(request, scoped, request_id)
    _log(request, scoped.case, "request", "evidence.DigitalRequest", object_id=entry.pk, person_ids=[entry.person_id])
    return _render(
        request,
        scoped,
        "evidence/request_detail.html",
        {
            "entry": entry,
            "can_decide": _can(request, "evidence.authorise_request", scoped.case),
            "exhibits": list(entry.exhibits.order_by("reference")),
            "required_notice": services.required_notice_elements(_NOTICE_KIND.get(RequestKind(entry.kind), "")),
            "given_notice": {e.code for e in entry.notice_elements.all()},
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def request_decision(request: HttpRequest, pk: uuid.UUID, request_id: uuid.UUID) -> HttpResponse:
    scoped = _load(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    entry = _request(request, scoped, request_id, decision=True)
    form = DecisionForm(_data(request))
    line = entry.plan_line
    decides_line = line is not None and line.approval_state == ApprovalState.REQUESTED
    if request.method == "POST" and form.is_valid():
        try:
            services.digital_request_decide(
                actor=_user(request),
                digital_request=entry,
                authorise=form.cleaned_data["decision"] == "authorise",
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            banner = f"Request {entry.get_status_display().lower()}"
            if decides_line and line is not None:
                line.refresh_from_db(fields=["approval_state"])
                if line.approval_state != ApprovalState.REQUESTED:
                    banner += f". The action it serves is {line.get_approval_state_display().lower()} too"
            messages.success(request, banner)
            return redirect("evidence:request", pk=pk, request_id=entry.pk)
    _log(
        request,
        scoped.case,
        "request decision",
        "evidence.DigitalRequest",
        object_id=entry.pk,
        person_ids=[entry.person_id],
    )
    return _render(request, scoped, "evidence/request_decision.html", {"form": form, "entry": entry})


def _request_note_action(
    request: HttpRequest,
    pk: uuid.UUID,
    request_id: uuid.UUID,
    *,
    label: str,
    hint: str,
    template: str,
    act: Any,
    done: str,
    confirm: str = "",
) -> HttpResponse:
    scoped = _load(request, pk)
    if isinstance(scoped, HttpResponse):
        return scoped
    entry = _request(request, scoped, request_id)
    form = NoteForm(_data(request), label=label, hint=hint, confirm=confirm)
    if request.method == "POST" and form.is_valid():
        try:
            act(_user(request), entry, form.cleaned_data["note"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("evidence:request", pk=pk, request_id=entry.pk)
    _log(
        request,
        scoped.case,
        template.rsplit("/", 1)[-1].removesuffix(".html"),
        "evidence.DigitalRequest",
        object_id=entry.pk,
        person_ids=[entry.person_id],
    )
    return _render(request, scoped, template, {"form": form, "entry": entry})


@require_http_methods(["GET", "POST"])
@login_required
def request_refusal(request: HttpRequest, pk: uuid.UUID, request_id: uuid.UUID) -> HttpResponse:
    def act(user: User, entry: DigitalRequest, note: str) -> None:
        services.digital_request_refusal_record(actor=user, digital_request=entry, note=note, request=request)

    return _request_note_action(
        request,
        pk,
        request_id,
        label="What the victim said (optional)",
        hint="Record their words if they want them recorded. Their refusal does not by itself close the case.",
        template="evidence/request_refusal.html",
        confirm="The victim refused, or withdrew their agreement",
        act=act,
        done="The victim's refusal is recorded. The case stays open.",
    )


@require_http_methods(["GET", "POST"])
@login_required
def request_complete(request: HttpRequest, pk: uuid.UUID, request_id: uuid.UUID) -> HttpResponse:
    def act(user: User, entry: DigitalRequest, note: str) -> None:
        services.digital_request_complete(actor=user, digital_request=entry, note=note, request=request)

    return _request_note_action(
        request,
        pk,
        request_id,
        label="What was obtained",
        hint="For example, messages between 1 and 3 March extracted; device returned",
        template="evidence/request_complete.html",
        act=act,
        done="Request completed",
    )


@require_http_methods(["GET", "POST"])
@login_required
def request_withdraw(request: HttpRequest, pk: uuid.UUID, request_id: uuid.UUID) -> HttpResponse:
    def act(user: User, entry: DigitalRequest, note: str) -> None:
        services.digital_request_withdraw(actor=user, digital_request=entry, note=note, request=request)

    return _request_note_action(
        request,
        pk,
        request_id,
        label="Why is the request withdrawn?",
        hint="For example, the case is closing and the material is no longer needed",
        template="evidence/request_withdraw.html",
        act=act,
        done="Request withdrawn",
    )


# --- Supervisors: requests to authorise ----------------------------------------------------------


@require_GET
@login_required
def requests_to_authorise(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    waiting = selectors.requests_to_authorise(user=user)
    balance = selectors.team_balance(user=user)
    services.requests_list_view_record(user=user, count=len(waiting), request=request)
    # A request that its victim-focused action's decision decides is listed apart, linking to the action
    # under Approvals: the count on Team work is of the requests decided here.
    return render(
        request,
        "evidence/requests_to_authorise.html",
        {
            "waiting": [entry for entry in waiting if not decided_with_action(entry)],
            "with_action": [entry for entry in waiting if decided_with_action(entry)],
            "balance": balance,
        },
    )


# --- SARC register -------------------------------------------------------------------------------


@require_GET
@login_required
def sarc_register(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    show = request.GET.get("show", "stored")
    if show not in selectors.SARC_FILTERS:
        show = "stored"
    rows = selectors.sarc_register(user=user, show=show)
    counts = selectors.sarc_counts(user=user)
    services.sarc_view_record(user=user, view=f"register ({show})", count=len(rows), request=request)
    return render(
        request,
        "evidence/sarc_register.html",
        {
            "rows": rows,
            "counts": counts,
            "show": show,
            "filters": selectors.SARC_FILTERS.items(),
            "retention_years": sarc_retention_years(),
            "warning_days": sarc_warning_days(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def sarc_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    selectors.sarc_register(user=user, show="destroyed")  # need-to-know check before anything is shown
    form = SarcSampleForm(_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sample = services.sarc_sample_create(
                actor=user,
                sarc_reference=data["sarc_reference"],
                collected_on=data["collected_on"],
                sample_types=list(data["sample_types"]),
                storage_location=data["storage_location"],
                consent_recorded_on=data["consent_recorded_on"],
                consent_note=data["consent_note"],
                request=request,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Samples {sample.sarc_reference} registered")
            return redirect("evidence:sarc-sample", sample_id=sample.pk)
    return render(request, "evidence/sarc_new.html", {"form": form, "retention_years": sarc_retention_years()})


def _sarc_row(request: HttpRequest, sample_id: uuid.UUID) -> selectors.SarcRow:
    try:
        return selectors.sarc_sample_get(user=_user(request), pk=sample_id)
    except SarcSample.DoesNotExist as error:
        raise Http404("No such samples") from error


@require_GET
@login_required
def sarc_sample(request: HttpRequest, sample_id: uuid.UUID) -> HttpResponse:
    row = _sarc_row(request, sample_id)
    services.sarc_view_record(user=_user(request), view="sample", object_id=row.sample.pk, request=request)
    return render(request, "evidence/sarc_sample.html", {"row": row, "sample": row.sample})


@require_http_methods(["GET", "POST"])
@login_required
def sarc_link(request: HttpRequest, sample_id: uuid.UUID) -> HttpResponse:
    row = _sarc_row(request, sample_id)
    form = SarcLinkForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.sarc_sample_link(
                actor=_user(request),
                sample=row.sample,
                crime_reference=form.cleaned_data["crime_reference"],
                request=request,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Samples linked to the case: the case now governs how long they are kept")
            return redirect("evidence:sarc-sample", sample_id=sample_id)
    services.sarc_view_record(user=_user(request), view="link samples", object_id=row.sample.pk, request=request)
    return render(request, "evidence/sarc_link.html", {"form": form, "row": row, "sample": row.sample})


@require_http_methods(["GET", "POST"])
@login_required
def sarc_destroy(request: HttpRequest, sample_id: uuid.UUID) -> HttpResponse:
    row = _sarc_row(request, sample_id)
    form = SarcDestroyForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.sarc_sample_destroy(
                actor=_user(request),
                sample=row.sample,
                authority=form.cleaned_data["authority"],
                confirmed=form.cleaned_data["confirmed"],
                request=request,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Destruction of the samples recorded")
            return redirect("evidence:sarc-sample", sample_id=sample_id)
    services.sarc_view_record(user=_user(request), view="destroy samples", object_id=row.sample.pk, request=request)
    return render(request, "evidence/sarc_destroy.html", {"form": form, "row": row, "sample": row.sample})
