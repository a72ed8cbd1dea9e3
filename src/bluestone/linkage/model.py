"""The Fellegi-Sunter model: comparisons, blocking rules, training, and the versioned model file."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import splink
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule

MODEL_FORMAT = "bluestone-linkage-model"
MODEL_FORMAT_VERSION = 2
"""Bumped whenever the comparisons change shape; a model of another version must be retrained."""

DEFAULT_THRESHOLD = 0.9
"""Default match probability at which two records are clustered into one identity (see docs/linkage.md)."""

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[Engine, ...] = ("duckdb", "spark")

logger = logging.getLogger(__name__)


def _exact_or_null(column: str, *, label: str) -> cl.CustomComparison:
    return cl.CustomComparison(
        [cll.NullLevel(column), cll.ExactMatchLevel(column), cll.ElseLevel()],
        output_column_name=column,
        comparison_description=label,
    )


# First name keyed as the surname and the surname as the first name (on one record of the pair).
_SWAPPED = "first_name_l = last_name_r AND last_name_l = first_name_r"


def comparisons() -> list[cl.CustomComparison]:
    """The comparisons, most specific level first. Their order and levels define the model's shape."""
    first_name = cl.CustomComparison(
        [
            cll.NullLevel("first_name"),
            cll.ExactMatchLevel("first_name", term_frequency_adjustments=True),
            cll.CustomLevel(_SWAPPED, label_for_charts="First and last names swapped"),
            cll.CustomLevel(
                "first_name_formal_l = first_name_formal_r", label_for_charts="Same formal name (nickname)"
            ),
            cll.JaroWinklerLevel("first_name", 0.92),
            cll.JaroWinklerLevel("first_name", 0.8),
            cll.ElseLevel(),
        ],
        output_column_name="first_name",
        comparison_description="First name",
    )
    last_name = cl.CustomComparison(
        [
            cll.NullLevel("last_name"),
            cll.ExactMatchLevel("last_name", term_frequency_adjustments=True),
            cll.CustomLevel(_SWAPPED, label_for_charts="First and last names swapped"),
            cll.JaroWinklerLevel("last_name", 0.92),
            cll.JaroWinklerLevel("last_name", 0.8),
            cll.ElseLevel(),
        ],
        output_column_name="last_name",
        comparison_description="Last name",
    )
    middle_names = cl.CustomComparison(
        [
            cll.NullLevel("middle_names"),
            cll.ExactMatchLevel("middle_names"),
            cll.JaroWinklerLevel("middle_names", 0.88),
            cll.ElseLevel(),
        ],
        output_column_name="middle_names",
        comparison_description="Middle names",
    )
    date_of_birth = cl.CustomComparison(
        [
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob"),
            cll.CustomLevel(
                "dob_l = dob_transposed_r", label_for_charts="Day and month transposed", base_dialect_str="duckdb"
            ),
            cll.LevenshteinLevel("dob", 1),
            cll.CustomLevel("dob_year_month_l = dob_year_month_r", label_for_charts="Same year and month"),
            cll.CustomLevel("dob_year_l = dob_year_r", label_for_charts="Same year"),
            cll.ElseLevel(),
        ],
        output_column_name="date_of_birth",
        comparison_description="Date of birth",
    )
    residence_null = cll.CustomLevel(
        "(postcode_l IS NULL OR postcode_r IS NULL) AND (address_l IS NULL OR address_r IS NULL)",
        label_for_charts="Postcode and address missing",
    ).configure(is_null_level=True)
    residence = cl.CustomComparison(
        [
            residence_null,
            cll.And(cll.ExactMatchLevel("address"), cll.ExactMatchLevel("postcode")),
            cll.ExactMatchLevel("postcode"),
            cll.JaroWinklerLevel("address", 0.9),
            cll.CustomLevel("postcode_outward_l = postcode_outward_r", label_for_charts="Same outward postcode"),
            cll.ElseLevel(),
        ],
        output_column_name="residence",
        comparison_description="Address and postcode",
    )
    return [
        first_name,
        middle_names,
        last_name,
        date_of_birth,
        _exact_or_null("gender", label="Gender"),
        residence,
        _exact_or_null("phone", label="Phone (E.164)"),
        _exact_or_null("email", label="Email"),
        _exact_or_null("identifier", label="Identifier (e.g. PNC ID)"),
    ]


# Candidate pairs: a pair is scored if any rule holds. Each rule is narrow enough to stay small on a
# force's millions of records; together they catch pairs that differ in any one or two fields.
#
# No rule is on names alone. Agreeing first and last names, with nothing else in common, never reaches
# the threshold (names add about +14 to a prior of about -19 at a million records), yet on common names
# they are nearly all the candidate pairs: first and last names alone gave 49 million pairs at a million
# records, 9 in 10 of all pairs scored. Each name rule therefore also needs a year of birth, an outward
# postcode or the middle names, the evidence a name match needs to get anywhere near the threshold.
PREDICTION_BLOCKING_RULES = (
    # A typo in one name (or a nickname in the first): the other name exactly and the first three letters
    # of the mistyped one, plus the year of birth or the outward postcode. (First three letters of the
    # first name, last name and outward postcode found no matched pair that another rule had not found,
    # at 100,000 or at a million records, so it is not a rule.)
    block_on("first_name_formal", "substr(last_name, 1, 3)", "dob_year"),
    block_on("substr(first_name, 1, 3)", "last_name", "dob_year"),
    block_on("first_name_formal", "substr(last_name, 1, 3)", "postcode_outward"),
    # The same names and middle names with the year of birth and the address both changed or missing.
    block_on("first_name_formal", "last_name", "middle_names"),
    block_on("last_name", "dob"),
    block_on("first_name_formal", "dob"),
    block_on("dob", "postcode"),
    block_on("last_name", "postcode"),
    block_on("phone"),
    block_on("email"),
    block_on("identifier"),
    # First and last names keyed the wrong way round.
    CustomRule("l.first_name = r.last_name AND l.last_name = r.first_name"),
)

# Expectation maximisation: each session estimates m for the comparisons its rule does not use.
TRAINING_BLOCKING_RULES = (
    block_on("first_name_formal", "last_name"),
    block_on("dob"),
    block_on("postcode"),
)

# Near-certain matches, used to estimate the prior probability that two random records match.
DETERMINISTIC_RULES = (
    block_on("first_name", "last_name", "dob"),
    block_on("identifier"),
)
DETERMINISTIC_RECALL = 0.7


def settings_creator(*, probability_two_random_records_match: float = 1e-4) -> SettingsCreator:
    """Splink's (dialect-free) settings for this pipeline."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=list(comparisons()),
        blocking_rules_to_generate_predictions=list(PREDICTION_BLOCKING_RULES),
        probability_two_random_records_match=probability_two_random_records_match,
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        em_convergence=0.001,
        max_iterations=25,
    )


_MIN_U_PAIRS = 1e4
_MIN_EM_PAIRS = 1e3


@dataclass(frozen=True)
class TrainingConfig:
    """How a model is trained.

    Attributes:
        u_max_pairs: random record pairs sampled to estimate u (how often non-matches agree).
        em_max_pairs: cap on blocked pairs per expectation-maximisation session (None: all).
        seed: seed for the random sampling, so a retrain on the same data gives the same model.
    """

    u_max_pairs: float = 1.5e6
    # 1M rather than 2M pairs per EM session: at a million records it halves EM time (20.8 -> 12.6 CPU
    # seconds) with the same accuracy (pairwise precision 0.9958 both, recall 0.9633 -> 0.9639).
    em_max_pairs: float | None = 1e6
    seed: int = 42

    def __post_init__(self) -> None:
        if self.u_max_pairs < _MIN_U_PAIRS:
            raise ValueError(f"u_max_pairs must be at least 10,000 (got {self.u_max_pairs:g}).")
        if self.em_max_pairs is not None and self.em_max_pairs < _MIN_EM_PAIRS:
            raise ValueError(f"em_max_pairs must be at least 1,000 or None (got {self.em_max_pairs:g}).")


@dataclass(frozen=True)
class LinkageModel:
    """A trained linkage model: Splink's settings (with m and u probabilities) in a versioned envelope.

    Attributes:
        splink_settings: the trained Splink settings dictionary, as Splink saves it.
        threshold: the default match probability at which records are clustered.
        trained_on: what the model was trained on (record count, engine), for the record.

    Example:
        >>> model = train_model(records)  # doctest: +SKIP
        >>> model.save("model.json")  # doctest: +SKIP
        >>> LinkageModel.load("model.json").threshold  # doctest: +SKIP
        0.9
    """

    splink_settings: dict[str, Any]
    threshold: float = DEFAULT_THRESHOLD
    trained_on: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_threshold(self.threshold)
        names = [c.get("output_column_name") for c in self.splink_settings.get("comparisons", [])]
        expected = [c.create_output_column_name() for c in comparisons()]
        if names != expected:
            raise ValueError(
                f"This model compares {names}, but this version of Bluestone compares {expected}; retrain the model."
            )

    @property
    def probability_two_random_records_match(self) -> float:
        return float(self.splink_settings["probability_two_random_records_match"])

    def to_dict(self) -> dict[str, Any]:
        """The model file's content: our envelope around Splink's settings."""
        return {
            "format": MODEL_FORMAT,
            "format_version": MODEL_FORMAT_VERSION,
            "splink_version": splink.__version__,
            "threshold": self.threshold,
            "trained_on": self.trained_on,
            "splink_settings": self.splink_settings,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinkageModel:
        """Rebuild a model from `to_dict()` output, refusing other formats and versions."""
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"Not a Bluestone linkage model (format is {data.get('format')!r}, not {MODEL_FORMAT!r}).")
        version = data.get("format_version")
        if version != MODEL_FORMAT_VERSION:
            raise ValueError(
                f"Linkage model format version {version!r} is not supported (this Bluestone reads version "
                f"{MODEL_FORMAT_VERSION}); retrain the model with `bluestone link` without --model."
            )
        return cls(
            splink_settings=data["splink_settings"],
            threshold=float(data.get("threshold", DEFAULT_THRESHOLD)),
            trained_on=dict(data.get("trained_on", {})),
        )

    def save(self, path: str | Path) -> None:
        """Write the model as JSON (UTF-8, stable key order so model files diff well)."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> LinkageModel:
        """Read a model written by `save`.

        Raises:
            ValueError: the file is not JSON, not a Bluestone model, or of an unsupported version.
        """
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise ValueError(f"The model file {path} is not valid JSON: {error}.") from error
        if not isinstance(data, dict):
            raise ValueError(f"The model file {path} does not hold a JSON object.")
        return cls.from_dict(data)

    def settings_for(self, dialect: str) -> dict[str, Any]:
        """Splink settings for `dialect` with this model's trained parameters.

        Splink's saved settings hold SQL in the dialect they were trained in, so the comparisons are rebuilt
        for the target engine from `comparisons()` and the trained m and u probabilities copied level by level.
        """
        target = settings_creator(
            probability_two_random_records_match=self.probability_two_random_records_match
        ).create_settings_dict(dialect)
        trained = self.splink_settings["comparisons"]
        for new, old in zip(target["comparisons"], trained, strict=True):
            new_levels, old_levels = new["comparison_levels"], old["comparison_levels"]
            if len(new_levels) != len(old_levels):
                raise ValueError(
                    f"The model's comparison {old.get('output_column_name')!r} has {len(old_levels)} levels, "
                    f"this version has {len(new_levels)}; retrain the model."
                )
            for new_level, old_level in zip(new_levels, old_levels, strict=True):
                for key in ("m_probability", "u_probability"):
                    if key in old_level:
                        new_level[key] = old_level[key]
        return target


def check_threshold(threshold: float) -> float:
    if not isinstance(threshold, int | float) or not 0 < threshold < 1:
        raise ValueError(f"threshold must be a match probability strictly between 0 and 1 (got {threshold!r}).")
    return float(threshold)


def train_linker(linker: Linker, config: TrainingConfig) -> None:
    """Estimate the prior, u by random sampling and m by EM over several blocking rules, in place."""
    linker.training.estimate_probability_two_random_records_match(
        list(DETERMINISTIC_RULES), recall=DETERMINISTIC_RECALL
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=config.u_max_pairs, seed=config.seed)
    for rule in TRAINING_BLOCKING_RULES:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=config.em_max_pairs
        )
