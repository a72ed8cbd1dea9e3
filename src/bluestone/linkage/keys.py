"""Blocking keys: what a standardised record is looked up by, so a new record is scored only against the
records that share a blocking rule's values with it (`score_against_candidates`).

A record's key for a prediction rule is a 63-bit number from the MD5 of the rule's number and its key
values (none when any value is missing: a missing value never blocks two records together). Two records
share a key when the rule would put them in one block, and a shared key between two records that the rule
would not block together (a collision, about one in 10^18 per pair) only adds a candidate that Splink's
own blocking then leaves out. The swapped-names rule keys a record by its names in both orders.
"""

from __future__ import annotations

import hashlib
import json

import duckdb
import pyarrow as pa

from bluestone.linkage.model import PREDICTION_RULES, LinkageModel, rules_for

KEY_FORMAT = 1
"""Bumped whenever the way keys are computed changes; a store of another format is rebuilt."""

_SEPARATOR = "chr(31)"


def store_version(model: LinkageModel) -> str:
    """The version of a store of standardised records and keys made for `model` (a hash of the model file
    and the key format): rows of another version are stale."""
    content = json.dumps({"keys": KEY_FORMAT, "model": model.to_dict()}, sort_keys=True)
    return hashlib.sha256(content.encode()).hexdigest()[:32]


def key_sql(model: LinkageModel, table: str = "records") -> str:
    """DuckDB SQL giving `unique_id, key` (one row per distinct key) for the standardised records in `table`."""
    parts = []
    for number, rule in enumerate(rules_for(PREDICTION_RULES, model.columns)):
        for side in {rule.keys, rule.right or rule.keys}:
            values = ", ".join(f"CAST({expression} AS VARCHAR)" for expression in side)
            present = " AND ".join(f"({expression}) IS NOT NULL" for expression in side)
            key = f"CAST(md5_number_lower(concat_ws({_SEPARATOR}, '{number}', {values})) >> 1 AS BIGINT)"
            # The model's own rule expressions, never input.
            parts.append(f"SELECT unique_id, {key} AS key FROM {table} WHERE {present}")  # noqa: S608
    if not parts:
        return "SELECT CAST(NULL AS VARCHAR) AS unique_id, CAST(NULL AS BIGINT) AS key WHERE false"
    union = " UNION ALL ".join(parts)
    return f"SELECT DISTINCT unique_id, key FROM ({union}) ORDER BY unique_id, key"  # noqa: S608 (as above)


def blocking_keys(standardised: pa.Table, model: LinkageModel) -> pa.Table:
    """The blocking keys (`unique_id`, `key`) of standardised records (`standardise`'s output) for `model`."""
    con = duckdb.connect()
    try:
        con.register("records", standardised)
        return con.sql(key_sql(model)).to_arrow_table()
    finally:
        con.close()
