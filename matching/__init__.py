"""carenet's matching engine: rank, explain and assign family assistants to care requests.

A library on numpy and scipy (HiGHS through highspy and scipy for bulk assignment); it
never imports the service. The service turns its rows into :class:`Candidates` and
:class:`Demand`, keeps a :class:`MatchIndex` fresh with :meth:`MatchIndex.upsert` /
:meth:`MatchIndex.remove`, and calls :meth:`MatchIndex.rank`, :meth:`MatchIndex.explain`
and :func:`assign`. The contract rules (CCNL levels, who is trained, weekly limits) are
:mod:`matching.contract`, which the service imports too. Lower-level pieces (edges,
greedy, the solver) live in the private modules, for the tests and the benchmarks.
"""

from . import contract
from ._assign import Assignment, Pair, assign
from ._index import Explanation, Match, MatchIndex, Ranked
from ._kernel import FILTERS
from ._model import (
    ARRANGEMENT_BITS,
    ARRANGEMENTS,
    COMPONENTS,
    NO_EXPIRY,
    Candidate,
    Candidates,
    Demand,
    Rules,
    Vocabulary,
    Weights,
)
from ._schedule import EMPTY, FULL_WEEK, Schedule, ScheduleError

__all__ = [
    "ARRANGEMENTS",
    "ARRANGEMENT_BITS",
    "COMPONENTS",
    "EMPTY",
    "FILTERS",
    "FULL_WEEK",
    "NO_EXPIRY",
    "Assignment",
    "Candidate",
    "Candidates",
    "Demand",
    "Explanation",
    "Match",
    "MatchIndex",
    "Pair",
    "Ranked",
    "Rules",
    "Schedule",
    "ScheduleError",
    "Vocabulary",
    "Weights",
    "assign",
    "contract",
]
