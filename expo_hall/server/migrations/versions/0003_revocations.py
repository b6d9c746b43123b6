"""Tokens can be revoked: users.revoked_at, the revocations every worker reads, a trigger for deleted users

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from expo_hall.server.db import create_triggers

# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('revocations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True))
    create_triggers(op.get_bind())



def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS users_deleted_revoke ON users")
        op.execute("DROP FUNCTION IF EXISTS users_deleted_revoke()")
    else:
        op.execute("DROP TRIGGER IF EXISTS users_deleted_revoke")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')

    op.drop_table('revocations')
