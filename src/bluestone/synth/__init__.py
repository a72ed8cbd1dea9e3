"""A synthetic force with ground truth. Framework-free: never imports Django.

`generate_force` draws a whole force (teams, officers, cases, person records, outcomes and
timelines) in the extract format of `bluestone.extract`, plus the ground truth of who each person
record really is. The same arguments always give the same tables. `write_force` writes them as
Parquet files. The spec and the calibration sources are in docs/synthetic-data.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from bluestone import extract
from bluestone.synth._cases import (
    HOW_REPORTED,
    KINDS,
    LOCATIONS,
    RELATIONSHIPS,
    SUMMARIES,
    Force,
    build_force,
    epoch_day,
)
from bluestone.synth._people import ROLES, SUSPECT, VICTIM, People, build_people, make_streets
from bluestone.synth._plans import (
    BAIL_CONDITIONS,
    INTRUSIVE,
    LINES,
    RATIONALE,
    Bails,
    Phones,
    Plans,
    build_bail,
    build_phones,
    build_plans,
)
from bluestone.synth._reference import IntArray, ObjArray, blank, reference
from bluestone.synth._reviews import DIRECTIONS, Reviews, build_reviews
from bluestone.synth._victims import (
    CHANNELS,
    DUTIES,
    FEEDBACK_QUESTIONS,
    ISVA_STATUSES,
    Responses,
    VictimLife,
    build_feedback,
    build_victim_life,
)
from bluestone.synth._workforce import Course, generate_workforce

MAX_CASES = 5_000_000
DEFAULT_END_DATE = dt.date(2026, 9, 30)
TABLE_NAMES: tuple[str, ...] = (
    *(t.name for t in extract.TABLES),
    *(t.name for t in extract.OPTIONAL_TABLES),
    extract.GROUND_TRUTH.name,
)
_SPECS = {t.name: t for t in (*extract.TABLES, *extract.OPTIONAL_TABLES, extract.GROUND_TRUTH)}

Progress = Callable[[str], None]


def generate_force(
    *,
    cases: int,
    seed: int,
    end_date: dt.date = DEFAULT_END_DATE,
    years: float = 2.0,
    repeat_suspect_share: float = 0.25,
    repeat_victim_share: float = 0.03,
    progress: Progress | None = None,
) -> dict[str, pa.Table]:
    """Draw a synthetic force: the seven core extract tables, the optional ones, and the ground truth.

    Args:
        cases: How many reports (cases), 1 to 5,000,000. A mid-sized force records about 3,600 a year.
        seed: Any non-negative integer; the same seed and arguments give identical tables.
        end_date: The last day of the reporting window; nothing happens after it.
        years: Length of the reporting window in years (0.25 to 30).
        repeat_suspect_share: Share of distinct named suspects who appear in more than one report (0 to 0.9).
        repeat_victim_share: Share of victims who appear again in another report (0 to 0.5).
        progress: Called with the name of each stage as it starts, for a progress display.

    Returns:
        Tables keyed by name: teams, officers, cases, persons, involvements, outcomes, events, the
        optional victims, victim_contacts, code_duties, feedback, plans, plan_lines, bail,
        digital_requests, exhibits and supervisory_reviews (each with
        exactly its `bluestone.extract` schema) and ground_truth.

    Raises:
        ValueError: An argument is out of range or of the wrong type.

    Example:
        >>> tables = generate_force(cases=500, seed=7)
        >>> tables["cases"].num_rows
        500
        >>> sorted(tables) == sorted(TABLE_NAMES)
        True
    """
    _check_arguments(
        cases=cases,
        seed=seed,
        end_date=end_date,
        years=years,
        suspect_share=repeat_suspect_share,
        victim_share=repeat_victim_share,
    )
    step = progress or (lambda _stage: None)
    ref = reference()
    rng = np.random.default_rng(seed)
    step("cases")
    force = build_force(rng=rng, ref=ref, cases=cases, end_date=end_date, years=years)
    step("people")
    streets = make_streets(rng, ref)
    people = build_people(
        rng=rng,
        ref=ref,
        force=force,
        streets=streets,
        end_day=epoch_day(end_date),
        repeat_suspect_share=repeat_suspect_share,
        repeat_victim_share=repeat_victim_share,
    )
    step("tables")
    officer_female = rng.random(len(force.officer_collar)) < 0.45  # noqa: PLR2004
    officer_first = np.where(
        officer_female,
        ref.female.names[ref.female.draw(rng, len(officer_female))],
        ref.male.names[ref.male.draw(rng, len(officer_female))],
    )
    officer_last = ref.surnames.names[ref.surnames.draw(rng, len(officer_female))]
    location_postcode = streets.postcode[rng.integers(0, len(streets.postcode), size=force.n)]
    tables = _tables(force, people, officer_first, officer_last, location_postcode)
    # The rest of each case's life draws from generators of its own: the core tables stay as they were.
    step("victims")
    end_us = (epoch_day(end_date) + 1) * 86_400_000_000 - 1
    life = build_victim_life(
        rng=np.random.default_rng([seed, 1]),
        force=force,
        people=people,
        towns=ref.places.towns,
        end_us=end_us,
    )
    involvement_ids = tables["involvements"].column("involvement_id").combine_chunks()
    tables.update(_victim_tables(life, involvement_ids))
    responses = build_feedback(
        rng=np.random.default_rng([seed, 4]), force=force, record_case=people.record_case[life.record], end_us=end_us
    )
    tables["feedback"] = _feedback_table(responses, involvement_ids.take(pa.array(life.record)))
    step("plans")
    plans = build_plans(rng=np.random.default_rng([seed, 2]), force=force, end_us=end_us)
    case_ids = tables["cases"].column("case_id").combine_chunks()
    tables.update(_plan_tables(plans, case_ids))
    victim_record = np.zeros(force.n, dtype=np.int64)
    victims = np.flatnonzero(people.record_role == VICTIM)
    victim_record[people.record_case[victims][::-1]] = victims[::-1]
    person_ids = tables["persons"].column("person_record_id").combine_chunks()
    phones = build_phones(rng=np.random.default_rng([seed, 3]), plans=plans, end_us=end_us)
    bails = build_bail(rng=np.random.default_rng([seed, 5]), force=force, end_us=end_us)
    suspect_record = np.zeros(force.n, dtype=np.int64)
    suspects = np.flatnonzero(people.record_role == SUSPECT)
    suspect_record[people.record_case[suspects][::-1]] = suspects[::-1]
    tables["bail"] = _bail_table(bails, case_ids, involvement_ids.take(pa.array(suspect_record[bails.case])))
    tables["digital_requests"] = _request_table(
        plans, case_ids, person_ids.take(pa.array(victim_record[plans.case[plans.line_plan]])), end_us=end_us
    )
    tables["exhibits"] = _phone_table(phones, case_ids, person_ids.take(pa.array(victim_record[phones.case])))
    step("reviews")
    reviews = build_reviews(rng=np.random.default_rng([seed, 6]), force=force, plans=plans, end_us=end_us)
    officer_ids = tables["officers"].column("officer_id").combine_chunks()
    tables["supervisory_reviews"] = _review_table(reviews, case_ids, officer_ids)
    names = np.array([f"{r} {f} {s}" for r, f, s in zip(force.officer_rank, officer_first, officer_last, strict=True)])
    tables["events"] = _with_review_events(tables["events"], force, reviews, case_ids, names)
    return tables


# Timeline entries written with an optional table's rows: a core-only extract leaves them out with it.
_OPTIONAL_EVENT_KINDS = pa.array(["supervisory_review"], type=pa.string())


def write_force(
    tables: Mapping[str, pa.Table], out_dir: str | Path, *, progress: Progress | None = None, optional: bool = True
) -> list[Path]:
    """Write the tables as `<table>.parquet` files in `out_dir` (created if need be).

    Each table must carry exactly its `bluestone.extract` schema, so that what is written is what
    `bluestone load` reads. Writing into a fresh folder and renaming it into place is the caller's
    job when the write must be all or nothing (the `bluestone synth` command does that).

    Args:
        tables: The tables from `generate_force` (all of them).
        out_dir: The folder to write into.
        progress: Called with each table's name before it is written.
        optional: False to leave out the optional tables (victims, plans, bail, exhibits...): an
            extract of the core tables alone, as a force's first export may be. The timeline entries
            that come with an optional table's rows (the supervisory reviews') are left out with it.

    Returns:
        The paths written, in load order with the ground truth last.

    Raises:
        ValueError: A table is missing or its schema is not the extract's.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     paths = write_force(generate_force(cases=100, seed=1), folder)
        >>> [p.name for p in paths][:2]
        ['teams.parquet', 'officers.parquet']
    """
    optional_names = {spec.name for spec in extract.OPTIONAL_TABLES}
    names = [name for name in TABLE_NAMES if optional or name not in optional_names]
    missing = [name for name in names if name not in tables]
    if missing:
        raise ValueError(f"Cannot write the force: tables {', '.join(missing)} are missing. Pass all of {TABLE_NAMES}.")
    for name in names:
        expected = _SPECS[name].schema()
        if not tables[name].schema.equals(expected):
            raise ValueError(f"Table {name!r} does not have the extract schema; expected:\n{expected}")
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        if progress is not None:
            progress(name)
        path = folder / _SPECS[name].filename
        table = tables[name]
        if name == "events" and not optional:
            table = table.filter(pc.invert(pc.is_in(table.column("kind"), value_set=_OPTIONAL_EVENT_KINDS)))
        pq.write_table(table, path, compression="zstd")
        paths.append(path)
    return paths


def _check_arguments(
    *, cases: object, seed: object, end_date: object, years: object, suspect_share: object, victim_share: object
) -> None:
    if isinstance(cases, bool) or not isinstance(cases, int | np.integer):
        raise ValueError(f"cases must be a whole number, not {cases!r}.")
    if not 1 <= cases <= MAX_CASES:
        raise ValueError(f"cases must be between 1 and {MAX_CASES:,}; got {cases:,}.")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative whole number, not {seed!r}.")
    if isinstance(end_date, dt.datetime) or not isinstance(end_date, dt.date):
        raise ValueError(f"end_date must be a datetime.date (a day, not a moment), not {end_date!r}.")
    checks = (
        ("years", years, 0.25, 30.0),
        ("repeat_suspect_share", suspect_share, 0.0, 0.9),
        ("repeat_victim_share", victim_share, 0.0, 0.5),
    )
    for name, value, low, high in checks:
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise ValueError(f"{name} must be a number from {low} to {high}, not {value!r}.")


def _ids(prefix: str, count: int, width: int) -> pa.Array:
    numbers = pc.cast(pa.array(np.arange(1, count + 1)), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(numbers, width=width, padding="0"), "")


def _strings(values: ObjArray | list[object]) -> pa.Array:
    return pa.array(values, type=pa.string())


def _pick(choices: tuple[str, ...] | ObjArray, index: IntArray) -> pa.Array:
    """Strings by index, decoded from a dictionary array: fast for millions of rows."""
    dictionary = pa.array(list(choices), type=pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(index, type=pa.int32()), dictionary).cast(pa.string())


def _timestamps(micros: IntArray) -> pa.Array:
    return pa.array(micros, type=pa.int64()).cast(extract.TIMESTAMP)


def _dates(days: IntArray, valid: np.ndarray | None = None) -> pa.Array:
    mask = None if valid is None else ~valid
    return pa.array(days.astype(np.int32), type=pa.int32(), mask=mask).cast(pa.date32())


def _table(name: str, columns: dict[str, pa.Array]) -> pa.Table:
    schema = _SPECS[name].schema()
    return pa.Table.from_arrays([columns[f.name] for f in schema], schema=schema)


def _tables(
    force: Force, people: People, officer_first: ObjArray, officer_last: ObjArray, location_postcode: ObjArray
) -> dict[str, pa.Table]:
    n = force.n
    team_ids = _ids("T", len(force.team_names), 3)
    officer_ids = pc.cast(pa.array(force.officer_collar), pa.string())
    reported = _timestamps(force.reported_us)
    two_digit_year = pc.utf8_slice_codeunits(pc.cast(pc.year(reported), pa.string()), 2, 4)
    sequence = pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), width=7, padding="0")
    case_ids = pc.binary_join_element_wise("BS/", two_digit_year, "/", sequence, "")
    online = force.location == len(LOCATIONS) - 1
    allocated = force.officer >= 0
    officer_of_case = officer_ids.take(pa.array(np.where(allocated, force.officer, 0)))

    tables: dict[str, pa.Table] = {}
    tables["teams"] = _table("teams", {"team_id": team_ids, "name": _strings(force.team_names)})
    tables["officers"] = _table(
        "officers",
        {
            "officer_id": officer_ids,
            "first_name": _strings(officer_first),
            "last_name": _strings(officer_last),
            "rank": _strings(force.officer_rank),
            "team_id": team_ids.take(pa.array(force.officer_team)),
        },
    )
    tables["cases"] = _table(
        "cases",
        {
            "case_id": case_ids,
            "reported_at": reported,
            "recorded_at": _timestamps(force.recorded_us),
            "offence_from": _dates(force.offence_from),
            "offence_to": _dates(force.offence_to),
            "non_recent": pa.array(force.non_recent),
            "how_reported": _pick(HOW_REPORTED, force.how_reported),
            "location_description": _strings(blank(~force.location_present, LOCATIONS[force.location])),
            "location_postcode": _strings(blank(online | ~force.location_present, location_postcode)),
            "offence_code": _pick(reference().offences.codes, force.offence),
            "team_id": team_ids.take(pa.array(force.team)),
            "officer_id": pc.if_else(pa.array(allocated), officer_of_case, pa.scalar(None, pa.string())),
            "status": _strings(force.status),
        },
    )

    records = len(people.record_case)
    record_ids = _ids("PR", records, 9)
    columns = people.columns
    dob = columns["date_of_birth"]
    has_dob = dob != None  # noqa: E711 (element-wise)
    person_columns: dict[str, pa.Array] = {
        name: _strings(values) for name, values in columns.items() if name != "date_of_birth"
    }
    person_columns["person_record_id"] = record_ids
    person_columns["date_of_birth"] = _dates(np.where(has_dob, dob, 0).astype(np.int64), has_dob)
    tables["persons"] = _table("persons", person_columns)

    suspects = people.record_role == SUSPECT
    relationship = blank(~suspects, np.array(RELATIONSHIPS, dtype=object)[force.relationship[people.record_case]])
    tables["involvements"] = _table(
        "involvements",
        {
            "involvement_id": _ids("IV", records, 9),
            "case_id": case_ids.take(pa.array(people.record_case)),
            "person_record_id": record_ids,
            "role": _pick(tuple(ROLES), people.record_role),
            "relationship_to_victim": _strings(relationship),
        },
    )
    tables["outcomes"] = _table(
        "outcomes",
        {
            "case_id": case_ids.take(pa.array(force.outcome_case)),
            "outcome_code": pa.array(force.outcome_code, type=pa.int16()),
            "decided_on": _dates(force.outcome_day),
            "rationale": _strings(force.outcome_rationale),
            "victim_informed": pa.array(force.outcome_victim_informed),
        },
    )
    tables["events"] = _table(
        "events",
        {
            "event_id": _ids("EV", len(force.event_case), 10),
            "case_id": case_ids.take(pa.array(force.event_case)),
            "occurred_at": _timestamps(force.event_us),
            "kind": _pick(KINDS, force.event_kind),
            "summary": _pick(SUMMARIES, force.event_summary),
        },
    )
    tables["ground_truth"] = _table(
        "ground_truth",
        {
            "person_record_id": record_ids,
            "true_person_id": pc.binary_join_element_wise(
                "TP", pc.utf8_lpad(pc.cast(pa.array(people.record_true + 1), pa.string()), width=9, padding="0"), ""
            ),
            "role": _pick(tuple(ROLES), people.record_role),
        },
    )
    return tables


def _victim_tables(life: VictimLife, involvement_ids: pa.Array) -> dict[str, pa.Table]:
    profile_ids = involvement_ids.take(pa.array(life.record))
    contact_ids = _ids("VC", len(life.contact_victim), 10)
    duty_contact = pa.array(np.where(life.duty_contact >= 0, life.duty_contact, 0))
    optional_days = {"needs_assessed_on": life.needs_assessed_day, "isva_date": life.isva_day}
    victims = {
        "involvement_id": profile_ids,
        "channel": _pick(CHANNELS, life.channel),
        "enhanced_rights": pa.array(np.ones(len(life.record), dtype=bool)),
        "is_child": pa.array(life.is_child),
        **{name: _dates(np.maximum(days, 0), days >= 0) for name, days in optional_days.items()},
        "isva_status": _pick(ISVA_STATUSES, life.isva_status),
        "isva_provider": _strings(life.isva_provider),
        "plan_cadence_days": pa.array(life.cadence, type=pa.int16(), mask=life.cadence < 0),
        "plan_agreed_on": _dates(np.maximum(life.plan_day, 0), life.plan_day >= 0),
        "supports_investigation": pa.array(life.supports),
    }
    met = life.duty_met_us >= 0
    return {
        "victims": _table("victims", victims),
        "victim_contacts": _table(
            "victim_contacts",
            {
                "contact_id": contact_ids,
                "involvement_id": profile_ids.take(pa.array(life.contact_victim)),
                "occurred_at": _timestamps(life.contact_us),
                "channel": _pick(CHANNELS, life.contact_channel),
                "summary": _strings(life.contact_summary),
            },
        ),
        "code_duties": _table(
            "code_duties",
            {
                "duty_id": _ids("CD", len(life.duty_victim), 10),
                "involvement_id": profile_ids.take(pa.array(life.duty_victim)),
                "right": _pick(tuple(d[0] for d in DUTIES), life.duty_right),
                "trigger_kind": _pick(tuple(d[1] for d in DUTIES), life.duty_right),
                "triggered_at": _timestamps(life.duty_triggered_us),
                "due_on": _dates(life.duty_due_day),
                "enhanced": pa.array(np.ones(len(life.duty_victim), dtype=bool)),
                "status": _strings(life.duty_status),
                "met_at": pc.if_else(pa.array(met), _timestamps(np.maximum(life.duty_met_us, 0)), None),
                "met_by_contact_id": pc.if_else(
                    pa.array(life.duty_contact >= 0), contact_ids.take(duty_contact), pa.scalar(None, pa.string())
                ),
            },
        ),
    }


def _feedback_table(responses: Responses, profile_ids: pa.Array) -> pa.Table:
    k = len(responses.victim)
    scores = {q: pa.array(responses.scores[:, i], type=pa.int16()) for i, q in enumerate(FEEDBACK_QUESTIONS)}
    return _table(
        "feedback",
        {
            "feedback_id": _ids("FB", k, 9),
            "involvement_id": profile_ids.take(pa.array(responses.victim)),
            "submitted_at": _timestamps(responses.submitted_us),
            **scores,
            "comments": pa.nulls(k, pa.string()),
        },
    )


def _optional_us(micros: IntArray) -> pa.Array:
    return pc.if_else(pa.array(micros >= 0), _timestamps(np.maximum(micros, 0)), None)


def _plan_tables(plans: Plans, case_ids: pa.Array) -> dict[str, pa.Table]:
    plan_case = case_ids.take(pa.array(plans.case))
    template = plans.line_template >= 0
    intrusive = plans.line_intrusive >= 0
    template_index = np.maximum(plans.line_template, 0)
    intrusive_index = np.maximum(plans.line_intrusive, 0)
    line_columns = [np.array(column, dtype=object) for column in zip(*LINES, strict=True)]
    code, group, focus, order, _due, title = line_columns
    n = len(plans.line_plan)
    return {
        "plans": _table("plans", {"case_id": plan_case, "created_at": _timestamps(plans.created_us)}),
        "plan_lines": _table(
            "plan_lines",
            {
                "line_id": _ids("LE", n, 10),
                "case_id": plan_case.take(pa.array(plans.line_plan)),
                "code": _strings(blank(~template, code[template_index])),
                "group": _strings(np.where(template, group[template_index], "victim_account")),
                "focus": _strings(np.where(template, focus[template_index], "victim")),
                "order": pa.array(
                    np.where(template, order[template_index].astype(np.int64), 300 + intrusive_index), type=pa.int16()
                ),
                "title": _strings(
                    np.where(template, title[template_index], np.array([k[1] for k in INTRUSIVE])[intrusive_index])
                ),
                "due_on": _dates(np.maximum(plans.line_due_day, 0), plans.line_due_day >= 0),
                "status": _strings(plans.line_status),
                "started_at": _optional_us(plans.line_started_us),
                "completed_at": _optional_us(plans.line_completed_us),
                "intrusive_kind": _strings(blank(~intrusive, np.array([k[0] for k in INTRUSIVE])[intrusive_index])),
                "rationale": _strings(blank(~intrusive, np.full(n, RATIONALE, dtype=object))),
                "victim_agreed": pa.array(plans.line_victim_agreed),
                "approval_state": _strings(plans.line_approval),
                "approval_requested_at": _optional_us(plans.line_requested_us),
                "decided_at": _optional_us(plans.line_decided_us),
            },
        ),
    }


def _bail_table(bails: Bails, case_ids: pa.Array, suspect_ids: pa.Array) -> pa.Table:
    k = len(bails.case)
    ended = bails.end_day >= 0
    return _table(
        "bail",
        {
            "bail_id": _ids("BA", k, 9),
            "case_id": case_ids.take(pa.array(bails.case)),
            "suspect_involvement_id": suspect_ids,
            "starts_on": _dates(bails.start_day),
            "expires_on": _dates(bails.expiry_day),
            "conditions": _strings(np.full(k, BAIL_CONDITIONS, dtype=object)),
            "status": _strings(np.where(ended, "ended", "active").astype(object)),
            "ended_on": _dates(np.maximum(bails.end_day, 0), ended),
            "end_reason": _strings(bails.end_reason),
        },
    )


def _review_table(reviews: Reviews, case_ids: pa.Array, officer_ids: pa.Array) -> pa.Table:
    k = len(reviews.case)
    answers = {
        f"answer_{code}": _pick(extract.REVIEW_ANSWERS, reviews.answers[:, i])
        for i, code in enumerate(extract.REVIEW_PROMPT_CODES)
    }
    directions = np.array(DIRECTIONS, dtype=object)[np.maximum(reviews.directions, 0)]
    return _table(
        "supervisory_reviews",
        {
            "review_id": _ids("SR", k, 9),
            "case_id": case_ids.take(pa.array(reviews.case)),
            "kind": _strings(np.where(reviews.initial, "initial", "periodic").astype(object)),
            "due_at": _timestamps(reviews.due_us),
            "completed_at": _timestamps(reviews.completed_us),
            "reviewer_officer_id": officer_ids.take(pa.array(reviews.reviewer)),
            **answers,
            "directions": _strings(blank(reviews.directions < 0, directions)),
        },
    )


def _with_review_events(
    events: pa.Table, force: Force, reviews: Reviews, case_ids: pa.Array, officer_names: np.ndarray
) -> pa.Table:
    """The timeline with an entry for each review, as the application writes one, in time order."""
    officers = len(officer_names)
    summaries = [f"Initial review by {n}" for n in officer_names] + [f"28-day review by {n}" for n in officer_names]
    k = len(reviews.case)
    added = pa.table(
        {
            "event_id": pa.nulls(k, pa.string()),
            "case_id": case_ids.take(pa.array(reviews.case)),
            "occurred_at": _timestamps(reviews.completed_us),
            "kind": pa.array(np.full(k, "supervisory_review", dtype=object), type=pa.string()),
            "summary": _pick(tuple(summaries), np.where(reviews.initial, 0, officers) + reviews.reviewer),
        },
        schema=events.schema.with_metadata(None).remove(0).insert(0, pa.field("event_id", pa.string())),
    )
    merged = pa.concat_tables([events.cast(added.schema), added])
    # Reviews come after the core events of the same moment (a new kind, last in the timeline's order).
    order = np.lexsort(
        (
            np.concatenate([force.event_kind, np.full(k, len(KINDS))]),
            np.concatenate([force.event_us, reviews.completed_us]),
            np.concatenate([force.event_case, reviews.case]),
        )
    )
    merged = merged.take(pa.array(order)).set_column(0, "event_id", _ids("EV", merged.num_rows, 10))
    return merged.cast(_SPECS["events"].schema())


HOLDER_KINDS = {
    "medical_records": "medical",
    "counselling_records": "counselling",
    "social_care_records": "social_care",
    "school_records": "education",
}
REQUEST_PURPOSE = "To obtain material relevant to a reasonable line of enquiry, as the plan sets out."


def _request_table(plans: Plans, case_ids: pa.Array, victim_ids: pa.Array, *, end_us: int) -> pa.Table:
    """A register entry for each victim-focused action: a victim's device, or third-party material."""
    rows = np.flatnonzero(plans.line_intrusive >= 0)
    k = len(rows)
    kinds = np.array([kind for kind, _title in INTRUSIVE], dtype=object)[plans.line_intrusive[rows]]
    approval = plans.line_approval[rows]
    line_status = plans.line_status[rows]
    decided = plans.line_decided_us[rows]
    completed = np.where(line_status == "done", plans.line_completed_us[rows], -1)
    # Approved but never carried out before the case closed: withdrawn a day after the decision.
    withdrawn = np.where(
        (approval == "approved") & (line_status == "not_needed"), np.minimum(decided + 86_400_000_000, end_us), -1
    )
    status = np.select(
        [approval == "requested", approval == "refused", completed >= 0, withdrawn >= 0],
        ["awaiting", "not_authorised", "completed", "withdrawn"],
        "authorised",
    ).astype(object)
    titles = np.array([title for _code, _group, _focus, _order, _days, title in LINES] + [t for _k, t in INTRUSIVE])
    holder = np.array([HOLDER_KINDS.get(kind) for kind in kinds], dtype=object)
    return _table(
        "digital_requests",
        {
            "request_id": _ids("DR", k, 9),
            "case_id": case_ids.take(pa.array(plans.case[plans.line_plan[rows]])),
            "kind": _strings(np.where(kinds == "phone_download", "victim_device", "victim_third_party").astype(object)),
            "person_record_id": victim_ids.take(pa.array(rows)),
            "status": _strings(status),
            "line_id": _ids("LE", len(plans.line_plan), 10).take(pa.array(rows)),
            "line_of_enquiry": _strings(titles[len(LINES) + plans.line_intrusive[rows]].astype(object)),
            "purpose": _strings(np.full(k, REQUEST_PURPOSE, dtype=object)),
            "necessity_rationale": _strings(np.full(k, RATIONALE, dtype=object)),
            "victim_agreed": pa.array(plans.line_victim_agreed[rows]),
            "holder_kind": _strings(holder),
            "decided_at": _optional_us(decided),
            "completed_at": _optional_us(completed),
            "withdrawn_at": _optional_us(withdrawn),
        },
    )


def _phone_table(phones: Phones, case_ids: pa.Array, victim_ids: pa.Array) -> pa.Table:
    k = len(phones.case)
    returned = phones.returned_us >= 0
    return _table(
        "exhibits",
        {
            "exhibit_id": _ids("EX", k, 9),
            "case_id": case_ids.take(pa.array(phones.case)),
            "reference": _strings(np.full(k, "VP/1", dtype=object)),
            "description": _strings(np.full(k, "Victim's mobile phone, for a download agreed with them", dtype=object)),
            "owner": _strings(np.full(k, "victim", dtype=object)),
            "person_record_id": victim_ids,
            "item_kind": _strings(np.full(k, "mobile_phone", dtype=object)),
            "how_obtained": _strings(np.full(k, "received", dtype=object)),
            "obtained_at": _timestamps(phones.taken_us),
            "location": _strings(np.where(returned, "Returned to the victim", "Digital forensics unit").astype(object)),
            "status": _strings(np.where(returned, "returned", "held").astype(object)),
            "return_due_at": _timestamps(phones.taken_us + 24 * 3_600_000_000),
            "replacement_provided_at": _optional_us(phones.replaced_us),
            "returned_at": _optional_us(phones.returned_us),
        },
    )


__all__ = [
    "DEFAULT_END_DATE",
    "MAX_CASES",
    "TABLE_NAMES",
    "Course",
    "generate_force",
    "generate_workforce",
    "write_force",
]
