"""Accuracy of identities against ground truth: pairwise and B-cubed precision, recall and F1."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa


@dataclass(frozen=True)
class Accuracy:
    """Pairwise and B-cubed scores of predicted identities against true ones."""

    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    records: int
    true_pairs: int
    predicted_pairs: int


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def evaluate(identities: pa.Table, truth: pa.Table) -> Accuracy:
    """Score predicted identities against the truth on the records present in both.

    Pairwise: of the record pairs put in one identity, the share truly the same person (precision), and
    of the truly-same pairs, the share put together (recall). B-cubed: the same per record, averaged over
    records, so large identities do not dominate.

    Args:
        identities: `record_id`, `identity_id` (as from `link_records`).
        truth: `record_id`, `true_person_id`.

    Returns:
        The scores; a score with nothing to measure (no pairs) is 1.0.

    Example:
        >>> import pyarrow as pa
        >>> got = pa.table({"record_id": ["a", "b", "c"], "identity_id": ["a", "a", "c"]})
        >>> true = pa.table({"record_id": ["a", "b", "c"], "true_person_id": ["p", "p", "p"]})
        >>> round(evaluate(got, true).pairwise_recall, 3)
        0.333
    """
    for name, table, column in (("identities", identities, "identity_id"), ("truth", truth, "true_person_id")):
        missing = {"record_id", column} - set(table.column_names)
        if missing:
            raise ValueError(f"{name} needs columns record_id and {column}; missing {', '.join(sorted(missing))}.")
    con = duckdb.connect()
    try:
        con.register("identities", identities.select(["record_id", "identity_id"]))
        con.register("truth", truth.select(["record_id", "true_person_id"]))
        row = con.sql(
            """
            WITH joined AS (
                SELECT CAST(i.record_id AS VARCHAR) AS record_id, CAST(i.identity_id AS VARCHAR) AS predicted,
                       CAST(t.true_person_id AS VARCHAR) AS actual
                FROM identities AS i JOIN truth AS t ON CAST(i.record_id AS VARCHAR) = CAST(t.record_id AS VARCHAR)
            ),
            cells AS (SELECT predicted, actual, count(*) AS n FROM joined GROUP BY ALL),
            predicted_sizes AS (SELECT predicted, sum(n) AS n FROM cells GROUP BY ALL),
            actual_sizes AS (SELECT actual, sum(n) AS n FROM cells GROUP BY ALL)
            SELECT
                (SELECT count(*) FROM joined),
                (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM cells),
                (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM predicted_sizes),
                (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM actual_sizes),
                (SELECT coalesce(sum(c.n * c.n / p.n), 0) FROM cells c JOIN predicted_sizes p USING (predicted)),
                (SELECT coalesce(sum(c.n * c.n / a.n), 0) FROM cells c JOIN actual_sizes a USING (actual))
            """
        ).fetchall()[0]
    finally:
        con.close()
    records, both, predicted, actual, b3_precision_sum, b3_recall_sum = (float(v) for v in row)
    precision = both / predicted if predicted else 1.0
    recall = both / actual if actual else 1.0
    b3_precision = b3_precision_sum / records if records else 1.0
    b3_recall = b3_recall_sum / records if records else 1.0
    return Accuracy(
        pairwise_precision=precision,
        pairwise_recall=recall,
        pairwise_f1=_f1(precision, recall),
        bcubed_precision=b3_precision,
        bcubed_recall=b3_recall,
        bcubed_f1=_f1(b3_precision, b3_recall),
        records=int(records),
        true_pairs=int(actual),
        predicted_pairs=int(predicted),
    )


def synth_linkage_input(
    force: dict[str, pa.Table], *, roles: tuple[str, ...] = ("suspect",)
) -> tuple[pa.Table, pa.Table]:
    """Map a synthetic force (`bluestone.synth.generate_force`) to the linkage contract and its truth.

    Args:
        force: the tables of a synthetic force; `persons` and `ground_truth` are used.
        roles: keep the person records in these roles (default: suspects, as the repeat-suspect register links).

    Returns:
        The records (`person_record_id` -> `record_id`, `pnc_id` -> `identifier`) and the truth
        (`record_id`, `true_person_id`).

    Example:
        >>> from bluestone.synth import generate_force  # doctest: +SKIP
        >>> records, truth = synth_linkage_input(generate_force(cases=500, seed=7))  # doctest: +SKIP
    """
    for name in ("persons", "ground_truth"):
        if name not in force:
            raise ValueError(f"The synthetic force has no {name!r} table.")
    con = duckdb.connect()
    try:
        con.register("persons", force["persons"])
        con.register("truth", force["ground_truth"])
        wanted = ", ".join("'" + role.replace("'", "''") + "'" for role in roles)
        kept = f"SELECT person_record_id FROM truth WHERE role IN ({wanted})"  # noqa: S608 (quoted literals)
        records = con.sql(
            f"""
            SELECT person_record_id AS record_id, first_name, middle_names, last_name, date_of_birth, gender,
                   address, postcode, phone, email, pnc_id AS identifier
            FROM persons WHERE person_record_id IN ({kept}) ORDER BY person_record_id
            """  # noqa: S608
        ).to_arrow_table()
        truth = con.sql(
            f"SELECT person_record_id AS record_id, true_person_id FROM truth WHERE person_record_id IN ({kept})"  # noqa: S608
        ).to_arrow_table()
    finally:
        con.close()
    return records, truth
