"""The append-only audit log: every feature records its changes and health reads here.

Low in the layers (it knows users only by type); reading a case's history from it is
``carenet.case_history``.
"""
