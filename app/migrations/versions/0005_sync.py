"""sync: outbox delivery state, quarantine and sync facts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

Rows already in the outbox become "waiting": nothing was ever delivered before this revision.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import models.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default='waiting'))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('next_attempt_at', models.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('quarantined_at', models.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('quarantine_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('acked_at', models.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('ack', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=''))
        batch_op.create_index('ix_outbox_state_id', ['state', 'id'], unique=False)
    op.create_table('sync_state',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )


def downgrade() -> None:
    op.drop_table('sync_state')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_state_id')
        batch_op.drop_column('ack')
        batch_op.drop_column('acked_at')
        batch_op.drop_column('quarantine_reason')
        batch_op.drop_column('quarantined_at')
        batch_op.drop_column('last_error')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('state')
