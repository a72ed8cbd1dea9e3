"""The Fellegi-Sunter model: comparisons, blocking rules, training, and the versioned model file."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import splink
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect

from bluestone.linkage.constants import DEFAULT_THRESHOLD

MODEL_FORMAT = "bluestone-linkage-model"
MODEL_FORMAT_VERSION = 3
"""Bumped whenever the comparisons change shape; a model of another version must be retrained."""


logger = logging.getLogger(__name__)


def _exact_or_null(column: str, *, label: str) -> cl.CustomComparison:
    return cl.CustomComparison(
        [cll.NullLevel(column), cll.ExactMatchLevel(column).configure(label_for_charts="Exact"), _else()],
        output_column_name=column,
        comparison_description=label,
    )


def _else() -> ComparisonLevelCreator:
    return cll.ElseLevel().configure(label_for_charts="Different")


def _jaro_winkler(column: str, threshold: float) -> ComparisonLevelCreator:
    return cll.JaroWinklerLevel(column, threshold).configure(label_for_charts=f"Similar (Jaro-Winkler >= {threshold})")


# First name keyed as the surname and the surname as the first name (on one record of the pair).
_SWAPPED = "first_name_l = last_name_r AND last_name_l = first_name_r"
SWAPPED_LABEL = "First and last names swapped"
SWAPPED_SIMILAR_LABEL = "First and last names swapped, with a typo (Jaro-Winkler >= 0.88 each)"


class _SwappedSimilarLevel(ComparisonLevelCreator):
    """First and last names swapped and each close to the other's (a swap and a typo), in any dialect."""

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        jw = sql_dialect.jaro_winkler_function_name
        return f"{jw}(first_name_l, last_name_r) >= 0.88 AND {jw}(last_name_l, first_name_r) >= 0.88"

    def create_label_for_charts(self) -> str:
        return SWAPPED_SIMILAR_LABEL


_NICKNAME = (
    "(instr(first_name_related_l, concat('|', first_name_r, '|')) > 0 "
    "OR instr(first_name_related_r, concat('|', first_name_l, '|')) > 0)"
)
_INITIAL = "(first_is_initial_l = 'y' OR first_is_initial_r = 'y') AND first_initial_l = first_initial_r"
_GENERATION_APART = "abs(CAST(dob_year_l AS INT) - CAST(dob_year_r AS INT)) >= 12"
GENERATION_YEARS = 12
"""Dates of birth this many years apart or more are a generation apart (a father and son)."""

# Which input columns (the contract's) each comparison reads; a comparison is in a model only when at
# least one of its columns has values in the data it is trained on.
COMPARISON_INPUTS: dict[str, tuple[str, ...]] = {
    "first_name": ("first_name",),
    "middle_names": ("middle_names",),
    "last_name": ("last_name",),
    "date_of_birth": ("date_of_birth",),
    "gender": ("gender",),
    "residence": ("address", "postcode"),
    "phone": ("phone",),
    "email": ("email",),
    "identifier": ("identifier",),
}


def _all_comparisons() -> dict[str, cl.CustomComparison]:
    first_name = cl.CustomComparison(
        [
            cll.NullLevel("first_name"),
            cll.ExactMatchLevel("first_name", term_frequency_adjustments=True).configure(label_for_charts="Exact"),
            # A swap is counted here once, as much evidence as both names agreeing and no more: its m and u
            # are set after training (`_count_swap_once`), and its term-frequency adjustment is on the full
            # name in either order, so a common name swapped weighs what the common name weighs.
            cll.CustomLevel(_SWAPPED, label_for_charts=SWAPPED_LABEL).configure(
                tf_adjustment_column="name_key", disable_tf_exact_match_detection=True
            ),
            _SwappedSimilarLevel().configure(tf_adjustment_column="name_key", disable_tf_exact_match_detection=True),
            cll.CustomLevel(_NICKNAME, label_for_charts="Familiar form of the same name (a nickname)"),
            cll.CustomLevel(_INITIAL, label_for_charts="Initial of the same name"),
            _jaro_winkler("first_name", 0.92),
            _jaro_winkler("first_name", 0.8),
            _else(),
        ],
        output_column_name="first_name",
        comparison_description="First name",
    )
    last_name = cl.CustomComparison(
        [
            # Swapped names were counted under the first name: here they count nothing (a null level).
            cll.CustomLevel(_SWAPPED, label_for_charts=f"{SWAPPED_LABEL} (counted under first name)").configure(
                is_null_level=True
            ),
            _SwappedSimilarLevel()
            .configure(is_null_level=True)
            .configure(label_for_charts=f"{SWAPPED_SIMILAR_LABEL} (counted under first name)"),
            cll.NullLevel("last_name"),
            cll.ExactMatchLevel("last_name", term_frequency_adjustments=True).configure(label_for_charts="Exact"),
            _jaro_winkler("last_name", 0.92),
            _jaro_winkler("last_name", 0.8),
            _else(),
        ],
        output_column_name="last_name",
        comparison_description="Last name",
    )
    middle_names = cl.CustomComparison(
        [
            cll.NullLevel("middle_names"),
            cll.ExactMatchLevel("middle_names").configure(label_for_charts="Exact"),
            _jaro_winkler("middle_names", 0.88),
            _else(),
        ],
        output_column_name="middle_names",
        comparison_description="Middle names",
    )
    date_of_birth = cl.CustomComparison(
        [
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob").configure(label_for_charts="Exact"),
            cll.CustomLevel("dob_l = dob_transposed_r", label_for_charts="Day and month transposed"),
            cll.LevenshteinLevel("dob", 1).configure(label_for_charts="One digit different"),
            cll.CustomLevel("dob_year_month_l = dob_year_month_r", label_for_charts="Same year and month"),
            cll.CustomLevel("dob_year_l = dob_year_r", label_for_charts="Same year"),
            cll.CustomLevel(_GENERATION_APART, label_for_charts=f"{GENERATION_YEARS} or more years apart"),
            _else(),
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
            cll.And(cll.ExactMatchLevel("address"), cll.ExactMatchLevel("postcode")).configure(
                label_for_charts="Same address and postcode"
            ),
            cll.ExactMatchLevel("postcode").configure(label_for_charts="Same postcode"),
            cll.JaroWinklerLevel("address", 0.9).configure(label_for_charts="Similar address (Jaro-Winkler >= 0.9)"),
            cll.CustomLevel("postcode_outward_l = postcode_outward_r", label_for_charts="Same outward postcode"),
            _else(),
        ],
        output_column_name="residence",
        comparison_description="Address and postcode",
    )
    identifier = cl.CustomComparison(
        [
            cll.NullLevel("identifier"),
            cll.ExactMatchLevel("identifier").configure(label_for_charts="Exact"),
            cll.LevenshteinLevel("identifier", 1).configure(label_for_charts="One character different"),
            _else(),
        ],
        output_column_name="identifier",
        comparison_description="Identifier (e.g. PNC ID)",
    )
    return {
        "first_name": first_name,
        "middle_names": middle_names,
        "last_name": last_name,
        "date_of_birth": date_of_birth,
        "gender": _exact_or_null("gender", label="Gender"),
        "residence": residence,
        "phone": _exact_or_null("phone", label="Phone (E.164)"),
        "email": _exact_or_null("email", label="Email"),
        "identifier": identifier,
    }


def comparison_names_for(columns: Iterable[str]) -> list[str]:
    """The comparisons a model of records with these (contract) columns has, in model order."""
    present = set(columns)
    return [name for name, inputs in COMPARISON_INPUTS.items() if present & set(inputs)]


def comparisons(columns: Iterable[str] | None = None) -> list[cl.CustomComparison]:
    """The comparisons for records with `columns` (all when None), most specific level first."""
    every = _all_comparisons()
    names = list(every) if columns is None else comparison_names_for(columns)
    return [every[name] for name in names]


@dataclass(frozen=True)
class Rule:
    """A blocking rule: pairs whose keys are equal (`left` on one record, `right` on the other) are scored.

    `keys` are SQL expressions over the standardised columns; `needs` the contract columns they read.
    """

    keys: tuple[str, ...]
    needs: tuple[str, ...]
    meaning: str
    right: tuple[str, ...] | None = None
    only_without: tuple[str, ...] = ()
    """The rule applies only to records with none of these columns (a fallback for sparse files)."""

    def splink(self) -> Any:
        if self.right is None:
            return block_on(*self.keys)
        return CustomRule(" AND ".join(f"l.{a} = r.{b}" for a, b in zip(self.keys, self.right, strict=True)))

    def describe(self) -> str:
        if self.right is None:
            return " and ".join(self.keys)
        return " and ".join(f"{a} = {b}" for a, b in zip(self.keys, self.right, strict=True))


_FIRST, _LAST, _DOB, _POST = "first_name", "last_name", "date_of_birth", "postcode"

# Candidate pairs: a pair is scored if any rule holds. Each rule is narrow enough to stay small on a
# force's millions of records; together they catch pairs that differ in any one or two fields.
#
# No rule is on names alone. Agreeing first and last names, with nothing else in common, never reaches
# the threshold (names add about +14 to a prior of about -19 at a million records), yet on common names
# they are nearly all the candidate pairs: first and last names alone gave 49 million pairs at a million
# records, 9 in 10 of all pairs scored. Each name rule therefore also needs a year of birth, an outward
# postcode or the middle names, the evidence a name match needs to get anywhere near the threshold.
PREDICTION_RULES: tuple[Rule, ...] = (
    Rule(
        ("first_name_formal", "substr(last_name, 1, 3)", "dob_year"),
        (_FIRST, _LAST, _DOB),
        "same first name (or nickname), last name starting alike, same year of birth",
    ),
    Rule(
        ("substr(first_name, 1, 3)", "last_name", "dob_year"),
        (_FIRST, _LAST, _DOB),
        "first name starting alike, same last name, same year of birth",
    ),
    Rule(
        ("first_name_formal", "substr(last_name, 1, 3)", "postcode_outward"),
        (_FIRST, _LAST, _POST),
        "same first name (or nickname), last name starting alike, same outward postcode",
    ),
    Rule(
        ("first_name_formal", "last_name", "middle_names"),
        (_FIRST, _LAST, "middle_names"),
        "same first, middle and last names",
    ),
    Rule(("last_name", "dob"), (_LAST, _DOB), "same last name and date of birth"),
    Rule(("first_name_formal", "dob"), (_FIRST, _DOB), "same first name (or nickname) and date of birth"),
    Rule(("dob", "postcode"), (_DOB, _POST), "same date of birth and postcode"),
    Rule(("last_name", "postcode"), (_LAST, _POST), "same last name and postcode"),
    Rule(("phone",), ("phone",), "same phone number"),
    Rule(("email",), ("email",), "same email address"),
    Rule(("identifier",), ("identifier",), "same identifier"),
    Rule(("dob", "address"), (_DOB, "address"), "same date of birth and address"),
    Rule(("first_name_formal", "address"), (_FIRST, "address"), "same first name (or nickname) and address"),
    # With the first initial: on the last name and the address's start alone, a common name in a block of
    # flats ("studio 9 ...") made 16 million pairs at a million records, three in four of all pairs scored.
    Rule(
        ("last_name", "first_initial", "substr(address, 1, 8)"),
        (_LAST, _FIRST, "address"),
        "same last name and first initial, address starting alike",
    ),
    Rule(("postcode", "substr(address, 1, 6)"), (_POST, "address"), "same postcode, address starting alike"),
    Rule(
        ("first_name", "last_name"),
        (_FIRST, _LAST),
        "first and last names swapped",
        right=("last_name", "first_name"),
    ),
    # A file of names and nothing else that narrows them: the names alone (the comparison guard stops it
    # when common names make too many pairs).
    Rule(
        ("first_name_formal", "last_name"),
        (_FIRST, _LAST),
        "same first name (or nickname) and last name",
        only_without=(_DOB, _POST, "address", "middle_names", "phone", "email", "identifier"),
    ),
)

# Expectation maximisation: each session estimates m for the comparisons its rule does not use. A
# session whose columns are missing, or that finds no pairs, is skipped with a warning.
TRAINING_RULES: tuple[Rule, ...] = (
    Rule(("first_name_formal", "last_name"), (_FIRST, _LAST), "same first name (or nickname) and last name"),
    Rule(("dob",), (_DOB,), "same date of birth"),
    Rule(("postcode",), (_POST,), "same postcode"),
    Rule(("identifier",), ("identifier",), "same identifier"),
)

# Near-certain matches, used to estimate the prior probability that two random records match.
DETERMINISTIC_RULES: tuple[Rule, ...] = (
    Rule(("first_name", "last_name", "dob"), (_FIRST, _LAST, _DOB), "same names and date of birth"),
    Rule(("identifier",), ("identifier",), "same identifier"),
)
DETERMINISTIC_RECALL = 0.7


def rules_for(rules: Iterable[Rule], columns: Iterable[str]) -> list[Rule]:
    """The rules whose columns are all present."""
    present = set(columns)
    return [rule for rule in rules if set(rule.needs) <= present and not present & set(rule.only_without)]


def settings_creator(
    *, columns: Iterable[str] | None = None, probability_two_random_records_match: float = 1e-4
) -> SettingsCreator:
    """Splink's (dialect-free) settings for records with `columns` (the contract's; all when None)."""
    present = list(COLUMN_SET if columns is None else columns)
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=list[Any](comparisons(present)),
        blocking_rules_to_generate_predictions=[rule.splink() for rule in rules_for(PREDICTION_RULES, present)],
        probability_two_random_records_match=probability_two_random_records_match,
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        # The generation suffix ("Jr") is no comparison: it holds pairs back (`pipeline.HELD_GENERATION`).
        additional_columns_to_retain=["name_suffix", "first_name_formal"] if "first_name" in present else [],
        em_convergence=0.001,
        max_iterations=25,
    )


COLUMN_SET: tuple[str, ...] = tuple(dict.fromkeys(c for inputs in COMPARISON_INPUTS.values() for c in inputs))
"""The contract columns the comparisons read (`record_id` aside)."""


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

    # 1M rather than 1.5M random pairs: a third less time estimating u (a fixed cost, the largest
    # step at 100,000 records), with the same FEBRL4 F1 (0.9984) and UK-style recall at 100,000 records.
    u_max_pairs: float = 1e6
    # 150,000 pairs per EM session (earlier 500,000, 1M, 2M): Splink samples the records of a larger
    # session. At 100,000 UK-style records the name and date-of-birth sessions (about 270,000 and 290,000
    # pairs) move no weight by more than 0.2 bits and the F1 not at all, for a third less training time.
    em_max_pairs: float | None = 1.5e5
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
        trained_on: what the model was trained on (record count, engine, seed), for the record.
        columns: the contract columns (besides `record_id`) that had values in the training records; the
            model compares those and only those, and fits data with the same columns (`fits`).

    Example:
        >>> model = train_model(records)  # doctest: +SKIP
        >>> model.save("model.json")  # doctest: +SKIP
        >>> LinkageModel.load("model.json").threshold  # doctest: +SKIP
        0.9
    """

    splink_settings: dict[str, Any]
    threshold: float = DEFAULT_THRESHOLD
    trained_on: dict[str, Any] = field(default_factory=dict)
    columns: tuple[str, ...] = COLUMN_SET

    def __post_init__(self) -> None:
        check_threshold(self.threshold)
        names = [c.get("output_column_name") for c in self.splink_settings.get("comparisons", [])]
        expected = comparison_names_for(self.columns)
        if names != expected:
            raise ValueError(
                f"This model compares {names}, but this version of Bluestone compares {expected} for the columns "
                f"{', '.join(self.columns)}; retrain the model."
            )

    @property
    def probability_two_random_records_match(self) -> float:
        return float(self.splink_settings["probability_two_random_records_match"])

    def fits(self, columns: Iterable[str]) -> bool:
        """Whether records with these contract columns (with values) are what this model was trained on."""
        return set(self.columns) == set(columns) & set(COLUMN_SET)

    def to_dict(self) -> dict[str, Any]:
        """The model file's content: our envelope around Splink's settings."""
        return {
            "format": MODEL_FORMAT,
            "format_version": MODEL_FORMAT_VERSION,
            "splink_version": splink.__version__,
            "threshold": self.threshold,
            "columns": list(self.columns),
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
                f"{MODEL_FORMAT_VERSION}); retrain the model (`bluestone link --retrain`)."
            )
        return cls(
            splink_settings=data["splink_settings"],
            threshold=float(data.get("threshold", DEFAULT_THRESHOLD)),
            trained_on=dict(data.get("trained_on", {})),
            columns=tuple(data.get("columns", COLUMN_SET)),
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
        except UnicodeDecodeError as error:
            raise ValueError(f"The model file {path} is not UTF-8 text.") from error
        if not isinstance(data, dict):
            raise ValueError(f"The model file {path} does not hold a JSON object.")
        return cls.from_dict(data)

    def settings_for(self, dialect: str) -> dict[str, Any]:
        """Splink settings for `dialect` with this model's trained parameters.

        Splink's saved settings hold SQL in the dialect they were trained in, so the comparisons are rebuilt
        for the target engine from `comparisons()` and the trained m and u probabilities copied level by level.
        """
        target = settings_creator(
            columns=self.columns, probability_two_random_records_match=self.probability_two_random_records_match
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

    def level_labels(self) -> dict[str, dict[int, str]]:
        """Each comparison's levels by comparison vector value (-1 for missing): the label shown to people."""
        labels: dict[str, dict[int, str]] = {}
        for comparison in self.splink_settings["comparisons"]:
            levels = comparison["comparison_levels"]
            non_null = [level for level in levels if not level.get("is_null_level")]
            by_value: dict[int, str] = {-1: "Missing on one side"}
            for position, level in enumerate(non_null):
                by_value[len(non_null) - 1 - position] = str(level.get("label_for_charts") or level["sql_condition"])
            labels[str(comparison["output_column_name"])] = by_value
        return labels


def check_threshold(threshold: float) -> float:
    if not isinstance(threshold, int | float) or not 0 < threshold < 1:
        raise ValueError(f"threshold must be a match probability strictly between 0 and 1 (got {threshold!r}).")
    return float(threshold)


MIN_M_PROBABILITY = 1e-4
"""The least m a level keeps: EM leaves m at zero for a level no match showed in training, which would make
that level a veto (a weight of -25 and more) on a true match that happens to show it later."""


MAX_U_CORRECTION = 100.0


def adjust_trained_settings(
    settings: dict[str, Any], *, u_max_pairs: float, presence: dict[str, float] | None = None
) -> dict[str, Any]:
    """Corrections to Splink's trained settings, in place: m floored, u cleaned of matches, swaps counted once.

    - m below `MIN_M_PROBABILITY` is raised to it.
    - u comes from random pairs, which include a few true matches (a share equal to the prior). On a small
      file with many duplicates they dominate the rarest levels: an identifier shared by one in 10,000
      random pairs because those pairs were matches. The expected share of matches is taken off each
      level's u, which is kept at no less than half of one pair in the sample. u is measured on the pairs
      where the comparison has a value on both sides, so the share of matches among them is the prior over
      the share of such pairs (`presence`: the share of records with a value, per comparison, squared).
      No u is cut by more than a factor of `MAX_U_CORRECTION` (at most 6.6 bits more weight), since when
      matches explain all that was seen the true u is small but unknown.
    - The swapped-names levels get the evidence of both names agreeing, no more (`_count_swap_once`).
    """
    prior = float(settings["probability_two_random_records_match"])
    floor = 0.5 / max(u_max_pairs, 1.0)
    for comparison in settings["comparisons"]:
        present = (presence or {}).get(str(comparison["output_column_name"]), 1.0)
        matches = min(prior / max(present * present, 1e-12), 0.5)
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            if m is not None:
                level["m_probability"] = m = max(float(m), MIN_M_PROBABILITY)
            if u is not None:
                # An untrained m (no session could estimate it) is taken as 1 here: the most matches it allows.
                share = matches * (1.0 if m is None else m)
                corrected = (float(u) - share) / (1 - matches)
                level["u_probability"] = max(corrected, float(u) / MAX_U_CORRECTION, floor)
    return _count_swap_once(settings)


def _count_swap_once(settings: dict[str, Any]) -> dict[str, Any]:
    """Give the swapped-names level the evidence of both names agreeing, no more (see `_all_comparisons`).

    Its m is the product of the first and last names' exact-match m (the chance that a match agrees on
    both); its u is set equal to m, so the level's own weight is zero and all its weight comes from the
    term-frequency adjustment on the full name: log2(m) - log2(frequency of the name in either order).
    """
    by_name = {c["output_column_name"]: c for c in settings["comparisons"]}
    first, last = by_name.get("first_name"), by_name.get("last_name")
    if first is None or last is None:
        return settings

    def level(comparison: dict[str, Any], label: str) -> dict[str, Any]:
        return next(lv for lv in comparison["comparison_levels"] if lv.get("label_for_charts") == label)

    m_first = level(first, "Exact").get("m_probability")
    m_last = level(last, "Exact").get("m_probability")
    if m_first is None or m_last is None:
        return settings
    swap = level(first, SWAPPED_LABEL)
    swap["m_probability"] = swap["u_probability"] = float(m_first) * float(m_last)
    # A swap with a typo counts half as much as a clean swap (one bit less).
    similar = level(first, SWAPPED_SIMILAR_LABEL)
    similar["m_probability"] = float(m_first) * float(m_last) / 2
    similar["u_probability"] = float(m_first) * float(m_last)
    return settings
