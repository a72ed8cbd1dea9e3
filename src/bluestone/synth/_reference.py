"""The data files that calibrate the synthetic force, read once and kept as NumPy arrays."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ObjArray = npt.NDArray[np.object_]


def blank(where: npt.NDArray[np.bool_], values: npt.NDArray[Any]) -> ObjArray:
    """`values` as objects, with None (a missing value in Arrow) where `where` is true."""
    out = np.array(values, dtype=object)
    out[where] = None
    return out


def _rows(filename: str) -> list[dict[str, str]]:
    text = (resources.files("bluestone.synth") / "data" / filename).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@dataclass(frozen=True)
class NamePool:
    """Names with the probability of drawing each, so that common names are common."""

    names: ObjArray
    p: FloatArray

    def draw(self, rng: np.random.Generator, size: int) -> IntArray:
        return rng.choice(len(self.names), size=size, p=self.p)


def _pool(filename: str) -> NamePool:
    rows = _rows(filename)
    weights = np.array([float(r["weight"]) for r in rows])
    return NamePool(np.array([r["name"] for r in rows], dtype=object), weights / weights.sum())


@dataclass(frozen=True)
class OffenceMix:
    codes: ObjArray
    p: FloatArray
    is_rape: BoolArray
    child: BoolArray
    female_share: FloatArray
    min_age: IntArray
    max_age: IntArray


@dataclass(frozen=True)
class OutcomeMix:
    """Outcome probabilities for (rape?, named suspect?) and how long each outcome takes."""

    codes: IntArray
    # Indexed [is_rape, named_suspect, code position].
    p: FloatArray
    median_days: FloatArray
    sigma: FloatArray


@dataclass(frozen=True)
class Places:
    towns: ObjArray
    town_p: FloatArray
    first_district: IntArray
    last_district: IntArray
    street_stems: ObjArray


@dataclass(frozen=True)
class Reference:
    female: NamePool
    male: NamePool
    surnames: NamePool
    # Lower-case formal name -> its nicknames as written.
    nicknames: dict[str, tuple[str, ...]]
    offences: OffenceMix
    outcomes: OutcomeMix
    places: Places


@cache
def reference() -> Reference:
    offence_rows = _rows("offence_mix.csv")
    shares = np.array([float(r["share"]) for r in offence_rows])
    offences = OffenceMix(
        codes=np.array([r["code"] for r in offence_rows], dtype=object),
        p=shares / shares.sum(),
        is_rape=np.array([r["code"].startswith("19") for r in offence_rows]),
        child=np.array([r["child"] == "true" for r in offence_rows]),
        female_share=np.array([float(r["female_share"]) for r in offence_rows]),
        min_age=np.array([int(r["min_age"]) for r in offence_rows], dtype=np.int64),
        max_age=np.array([int(r["max_age"]) for r in offence_rows], dtype=np.int64),
    )

    timing = {int(r["code"]): (float(r["median_days"]), float(r["sigma"])) for r in _rows("outcome_timing.csv")}
    codes = np.array(sorted(timing), dtype=np.int64)
    position = {int(c): i for i, c in enumerate(codes)}
    weights = np.zeros((2, 2, len(codes)))
    for r in _rows("outcome_mix.csv"):
        weights[int(r["group"] == "rape"), int(r["named_suspect"] == "true"), position[int(r["code"])]] = float(
            r["weight"]
        )
    outcomes = OutcomeMix(
        codes=codes,
        p=weights / weights.sum(axis=2, keepdims=True),
        median_days=np.array([timing[int(c)][0] for c in codes]),
        sigma=np.array([timing[int(c)][1] for c in codes]),
    )

    place_rows = _rows("places.csv")
    town_weights = np.array([float(r["weight"]) for r in place_rows])
    places = Places(
        towns=np.array([r["town"] for r in place_rows], dtype=object),
        town_p=town_weights / town_weights.sum(),
        first_district=np.array([int(r["first_district"]) for r in place_rows], dtype=np.int64),
        last_district=np.array([int(r["last_district"]) for r in place_rows], dtype=np.int64),
        street_stems=np.array([r["stem"] for r in _rows("street_stems.csv")], dtype=object),
    )

    nicknames = {
        r["formal_name"].strip().lower(): tuple(n.strip() for n in r["nicknames"].split(";") if n.strip())
        for r in _rows("nicknames.csv")
    }
    return Reference(
        female=_pool("first_names_female.csv"),
        male=_pool("first_names_male.csv"),
        surnames=_pool("surnames.csv"),
        nicknames=nicknames,
        offences=offences,
        outcomes=outcomes,
        places=places,
    )
