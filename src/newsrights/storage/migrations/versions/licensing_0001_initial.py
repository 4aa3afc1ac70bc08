"""licensing area: parties, versioned ODRL policies, registry snapshots, settings, products, invoices.

Revision ID: licensing_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "licensing_0001"
down_revision = None
branch_labels = ("licensing",)
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "licensing_parties",
        sa.Column("uid", sa.String(300), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("domains", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_licensing_parties_name", "licensing_parties", ["name"])
    op.create_table(
        "licensing_policy_versions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("uid", sa.String(300), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("policy_type", sa.String(20), nullable=False),
        sa.Column("assigner", sa.String(300), nullable=True),
        sa.Column("assignee", sa.String(300), nullable=True),
        sa.Column("valid_from", TZ, nullable=False),
        sa.Column("valid_to", TZ, nullable=True),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("uid", "version", name="uq_licensing_policy_version"),
    )
    op.create_index("ix_licensing_policy_versions_uid", "licensing_policy_versions", ["uid"])
    op.create_index("ix_licensing_policy_versions_assignee", "licensing_policy_versions", ["assignee"])
    op.create_table(
        "licensing_snapshots",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "licensing_settings",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "licensing_products",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("pricing", sa.String(20), nullable=False),
        sa.Column("price", sa.String(40), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("selector", sa.Text(), nullable=False),
        sa.Column("actions", sa.Text(), nullable=False),
        sa.Column("credit", sa.String(200), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "licensing_invoices",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("number", sa.String(40), nullable=False, unique=True),
        sa.Column("product_id", sa.String(100), sa.ForeignKey("licensing_products.id"), nullable=False),
        sa.Column("licensee_uid", sa.String(300), sa.ForeignKey("licensing_parties.uid"), nullable=False),
        sa.Column("agreement_uid", sa.String(300), nullable=False),
        sa.Column("amount", sa.String(40), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("chars", sa.Integer(), nullable=True),
        sa.Column("issued_at", TZ, nullable=False),
    )
    op.create_index("ix_licensing_invoices_product_id", "licensing_invoices", ["product_id"])
    op.create_index("ix_licensing_invoices_licensee_uid", "licensing_invoices", ["licensee_uid"])


def downgrade() -> None:
    for t in ("licensing_invoices", "licensing_products", "licensing_settings", "licensing_snapshots",
              "licensing_policy_versions", "licensing_parties"):
        op.drop_table(t)
