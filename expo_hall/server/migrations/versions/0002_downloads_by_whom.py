"""Downloads remember who downloaded, to count each once a day

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('downloads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.add_column(sa.Column('address', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_downloads_address', ['address', 'stand_id', 'material_index', 'at'], unique=False)
        batch_op.create_index('ix_downloads_user', ['user_id', 'stand_id', 'material_index', 'at'], unique=False)
        batch_op.create_foreign_key('fk_downloads_user', 'users', ['user_id'], ['id'])



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('downloads', schema=None) as batch_op:
        batch_op.drop_constraint('fk_downloads_user', type_='foreignkey')
        batch_op.drop_index('ix_downloads_user')
        batch_op.drop_index('ix_downloads_address')
        batch_op.drop_column('address')
        batch_op.drop_column('user_id')

