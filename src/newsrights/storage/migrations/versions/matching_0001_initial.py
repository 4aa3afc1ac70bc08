"""matching area: stored index (match_sketches, match_state), pages with findings, findings.

Revision ID: matching_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "matching_0001"
down_revision = None
branch_labels = ("matching",)
depends_on = "catalog_0001"

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "match_sketches",
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("params", sa.String(128), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("uri", sa.Text(), nullable=False),
        sa.Column("chars", sa.Integer(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("anchors", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "match_state",
        sa.Column("params", sa.String(128), primary_key=True),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("df_sketch", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "pages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(255), nullable=True),
        sa.Column("raw_zlib", sa.LargeBinary(), nullable=True),
        sa.Column("raw_sha256", sa.String(64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("capture", sa.Text(), nullable=True),
        sa.Column("fetched", TZ, nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("sha256"),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("page_id", sa.Integer(), sa.ForeignKey("pages.id"), nullable=False),
        sa.Column("page_sha256", sa.String(64), nullable=False),
        sa.Column("page_url", sa.Text(), nullable=False),
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("article_uri", sa.Text(), nullable=False),
        sa.Column("params", sa.String(128), nullable=False),
        sa.Column("label", sa.String(16), nullable=False),
        sa.Column("article_coverage", sa.Float(), nullable=False),
        sa.Column("page_coverage", sa.Float(), nullable=False),
        sa.Column("spans", sa.JSON(), nullable=False),
        sa.Column("similarity", sa.JSON(), nullable=False),
        sa.Column("verdict", sa.String(32), nullable=True),
        sa.Column("verdict_reasons", sa.JSON(), nullable=False),
        sa.Column("registry_snapshot", sa.String(128), nullable=True),
        sa.Column("capture", sa.Text(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("found_at", TZ, nullable=False),
        sa.UniqueConstraint("page_sha256", "article_id", "params", name="uq_findings_page_article_params"),
    )
    op.create_index("ix_findings_page_id", "findings", ["page_id"])
    op.create_index("ix_findings_article_id", "findings", ["article_id"])
    op.create_index("ix_findings_verdict", "findings", ["verdict"])
    op.create_index("ix_findings_label", "findings", ["label"])


def downgrade() -> None:
    op.drop_table("findings")
    op.drop_table("pages")
    op.drop_table("match_state")
    op.drop_table("match_sketches")
