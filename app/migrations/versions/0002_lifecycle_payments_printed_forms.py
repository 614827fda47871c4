"""lifecycle payments printed forms

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import models.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('payment',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('dossier_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('receipt_number', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('payer', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('at', models.types.UTCDateTime(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('printed_form',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('form', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('at', models.types.UTCDateTime(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('printed_form', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_printed_form_dossier_id'), ['dossier_id'], unique=False)

    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paused_at', models.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('finished_at', models.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('returned_at', models.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('extended', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('satisfaction', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('amount_paid', sa.Integer(), nullable=False, server_default=sa.text('0')))
        batch_op.create_index('ix_dossier_owner_id_number', ['owner_id_number'], unique=False)
        batch_op.create_index('ix_dossier_owner_phone', ['owner_phone'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_index('ix_dossier_owner_phone')
        batch_op.drop_index('ix_dossier_owner_id_number')
        batch_op.drop_column('amount_paid')
        batch_op.drop_column('satisfaction')
        batch_op.drop_column('extended')
        batch_op.drop_column('returned_at')
        batch_op.drop_column('finished_at')
        batch_op.drop_column('paused_at')

    with op.batch_alter_table('printed_form', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_printed_form_dossier_id'))

    op.drop_table('printed_form')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_dossier_id'))
        batch_op.drop_index(batch_op.f('ix_payment_at'))

    op.drop_table('payment')
