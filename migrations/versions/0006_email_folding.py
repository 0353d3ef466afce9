"""email folding: account e-mails stored in their folded form (NFKC, case folding)

Rows written before e-mails were folded are folded here, so that lookups by the folded
form find them and the unique constraint compares folded addresses. Two accounts whose
addresses fold to one cannot be merged automatically: the upgrade stops and names them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 18:30:00
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _fold(value: str) -> str:
    """The same folding as ``carenet.auth.services.fold_email``, frozen for this revision."""
    text = unicodedata.normalize("NFKC", (value or "").strip())
    return unicodedata.normalize("NFKC", text.casefold())


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, email FROM user_account ORDER BY id")).all()
    by_folded: dict[str, list[int]] = defaultdict(list)
    for row_id, email in rows:
        by_folded[_fold(email)].append(row_id)
    clashes = {email: ids for email, ids in by_folded.items() if len(ids) > 1}
    if clashes:
        listed = "; ".join(f"{email}: accounts {ids}" for email, ids in sorted(clashes.items()))
        raise RuntimeError(
            "These accounts have e-mails that are one address once folded (NFKC, case); "
            f"merge them or change all but one before upgrading: {listed}"
        )
    for row_id, email in rows:
        folded = _fold(email)
        if folded != email:
            conn.execute(
                sa.text("UPDATE user_account SET email = :email WHERE id = :id"),
                {"email": folded, "id": row_id},
            )


def downgrade() -> None:
    # The original spelling is gone; a folded address is a valid address, so nothing to do.
    pass
