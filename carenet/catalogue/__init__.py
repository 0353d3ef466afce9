"""Catalogues: municipalities, qualifications and vocabularies, read-only."""
