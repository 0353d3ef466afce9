"""Deterministic synthetic assistants and care requests, drawn with numpy.

Every random draw is made up front, as arrays over all the records, from one generator
seeded with ``seed``; records are then built from those arrays one slice at a time. The
output therefore depends only on the seed, the counts and ``today``, never on how the
caller batches it. Records carry no database ids: the loader assigns them.
"""

from carenet.demo.generate._assistants import generate_assistants
from carenet.demo.generate._common import AssistantRecord, RequestRecord
from carenet.demo.generate._requests import generate_requests

__all__ = ["AssistantRecord", "RequestRecord", "generate_assistants", "generate_requests"]
