"""Operations: backups and restores of carenet's database (``carenet backup``/``restore``)."""
