"""A case's history read from the audit log: its timeline and who read its health data.

Pages and API under the blueprint names ``audit`` and ``audit_api``. Above every case
feature (it reads their models); the log itself, written by every feature, is
``carenet.audit``.
"""
