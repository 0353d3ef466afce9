"""carenet's matching engine: rank, explain and assign family assistants to care requests.

A library on numpy, scipy and scikit-learn; it never imports the service. The service
turns its rows into :class:`Candidates` and :class:`Demand`, keeps a :class:`MatchIndex`
fresh with :meth:`MatchIndex.upsert` / :meth:`MatchIndex.remove`, and calls
:meth:`MatchIndex.rank`, :meth:`MatchIndex.explain` and :func:`assign`. The contract
rules (CCNL levels, who is trained, weekly limits) are :mod:`matching.contract`, which
the service imports too.
"""

from . import contract
from ._assign import Assignment, Edges, assign, build_edges, greedy, is_feasible, solve
from ._geo import EARTH_RADIUS_KM, haversine_km
from ._index import Explanation, Match, MatchIndex
from ._kernel import FILTERS
from ._model import (
    ARRANGEMENTS,
    COMPONENTS,
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
    "COMPONENTS",
    "EARTH_RADIUS_KM",
    "EMPTY",
    "FILTERS",
    "FULL_WEEK",
    "Assignment",
    "Candidate",
    "Candidates",
    "Demand",
    "Edges",
    "Explanation",
    "Match",
    "MatchIndex",
    "Rules",
    "Schedule",
    "ScheduleError",
    "Vocabulary",
    "Weights",
    "assign",
    "build_edges",
    "contract",
    "greedy",
    "haversine_km",
    "is_feasible",
    "solve",
]
