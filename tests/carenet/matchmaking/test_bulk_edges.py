"""The bulk run's edge filter: earlier pairs out, each request's best k kept."""

from __future__ import annotations

import numpy as np

from carenet.matchmaking.bulk import without
from matching import Edges


def test_without_drops_the_excluded_pairs_and_keeps_each_demands_best_k() -> None:
    edges = Edges(
        demand=np.array([0, 0, 0, 1, 1], np.int64),
        candidate=np.array([10, 11, 12, 10, 13], np.int64),
        score=np.array([0.9, 0.8, 0.7, 0.6, 0.6], np.float64),
        hours=np.array([20.0, 20.0]),
        words=np.zeros((2, 3), np.uint64),
        live_in=np.array([False, False]),
        cap={10: 40.0, 11: 40.0, 12: 40.0, 13: 40.0},
    )
    kept = without(edges, {(0, 10), (1, 13)}, k=1)
    assert list(zip(kept.demand.tolist(), kept.candidate.tolist(), strict=True)) == [
        (0, 11),
        (1, 10),
    ]
    assert kept.score.tolist() == [0.8, 0.6]
