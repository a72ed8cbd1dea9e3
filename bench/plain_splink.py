"""Plain Splink 5: a generic settings file, the baseline every linkage benchmark is measured against.

What an analyst would write from Splink's documentation for person records, with no Bluestone code:
light cleaning (lower case, trimmed, dates read by pandas as day first), Splink's library comparisons
with term frequencies on names, the usual blocking rules, the prior from near-certain rules, u from
random pairs, m by expectation maximisation on two rules, and connected components at 0.9.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
import pyarrow as pa
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

THRESHOLD = 0.9
TEXT_COLUMNS = (
    "first_name",
    "middle_names",
    "last_name",
    "gender",
    "address",
    "postcode",
    "phone",
    "email",
    "identifier",
)


def prepare(records: pa.Table) -> pd.DataFrame:
    """The contract columns cleaned the generic way: lower case, trimmed, empty as missing, dates as ISO."""
    frame = records.to_pandas()
    out = pd.DataFrame({"unique_id": frame["record_id"].astype(str)})
    for column in TEXT_COLUMNS:
        if column in frame:
            values = frame[column].astype("string").str.strip().str.lower()
            out[column] = values.where(values != "", None)
        else:
            out[column] = None
    if "date_of_birth" in frame:
        text = frame["date_of_birth"].astype("string").str.strip()
        iso = pd.to_datetime(text, format="ISO8601", errors="coerce")
        compact = pd.to_datetime(text, format="%Y%m%d", errors="coerce")
        other = pd.to_datetime(text, format="mixed", dayfirst=True, errors="coerce")
        parsed = iso.fillna(compact).fillna(other)
        out["dob"] = parsed.dt.strftime("%Y-%m-%d").where(parsed.notna(), None)
    else:
        out["dob"] = None
    return out.astype(object).where(out.notna(), None)


def settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("middle_names"),
            cl.NameComparison("last_name").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("gender"),
            cl.JaroWinklerAtThresholds("address", [0.9, 0.8]),
            cl.ExactMatch("postcode"),
            cl.ExactMatch("phone"),
            cl.EmailComparison("email"),
            cl.LevenshteinAtThresholds("identifier", [1]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "last_name"),
            block_on("last_name", "dob"),
            block_on("first_name", "dob"),
            block_on("postcode", "first_name"),
            block_on("postcode", "last_name"),
            block_on("identifier"),
            block_on("email"),
            block_on("phone"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def _trained(frame: pd.DataFrame, *, seed: int) -> Linker:
    linker = Linker(DuckDBAPI().register(frame), settings(), log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "dob"), block_on("identifier")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1.5e6, seed=seed)
    for rule in (block_on("first_name", "last_name"), block_on("dob")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except Exception as error:
            print(f"plain Splink: EM on {rule} failed: {error}")
    return linker


def train(records: pa.Table, *, seed: int = 42) -> dict[str, Any]:
    """Plain Splink's trained model (its settings as JSON), for `link(..., model=...)`."""
    logging.getLogger("splink").setLevel(logging.ERROR)
    return dict(_trained(prepare(records), seed=seed).misc.save_model_to_json())


def link(records: pa.Table, *, seed: int = 42, model: dict[str, Any] | None = None) -> pa.Table:
    """Identities (`record_id`, `identity_id`) from plain Splink on DuckDB, trained on the records unless a
    `model` from `train` is given."""
    logging.getLogger("splink").setLevel(logging.ERROR)
    frame = prepare(records)
    if model is None:
        linker = _trained(frame, seed=seed)
    else:
        linker = Linker(DuckDBAPI().register(frame), model, log_level=None)
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, THRESHOLD)
    table = clusters.as_duckdbpyrelation().select("unique_id, cluster_id").to_arrow_table()
    return pa.table({"record_id": table.column("unique_id"), "identity_id": table.column("cluster_id")})
