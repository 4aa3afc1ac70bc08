"""catalog area: sites, declarations, articles, article versions.

Revision ID: catalog_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "catalog_0001"
down_revision = None
branch_labels = ("catalog",)
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("id", sa.String(255), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "declarations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("site_id", sa.String(255), sa.ForeignKey("sites.id"), nullable=False),
        sa.Column("version", sa.String(128), nullable=False),
        sa.Column("effective", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("parsed", sa.JSON(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("site_id", "version", name="uq_declarations_site_version"),
    )
    op.create_index("ix_declarations_site_id", "declarations", ["site_id"])
    op.create_table(
        "articles",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("uri", sa.Text(), nullable=False),
        sa.Column("uri_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("site", sa.String(255), nullable=True),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", TZ, nullable=True),
        sa.Column("ownership_class", sa.String(32), nullable=False),
        sa.Column("holder", sa.String(255), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_index("ix_articles_site", "articles", ["site"])
    op.create_index("ix_articles_sha256", "articles", ["sha256"])
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_ownership_class", "articles", ["ownership_class"])
    op.create_table(
        "article_versions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("raw_sha256", sa.String(64), nullable=True),
        sa.Column("ingested_at", TZ, nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", TZ, nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("editor", sa.Text(), nullable=True),
        sa.Column("responsible_editor", sa.Text(), nullable=True),
        sa.Column("original_title", sa.Text(), nullable=True),
        sa.Column("dateline", sa.Text(), nullable=True),
        sa.Column("byline", sa.Text(), nullable=True),
        sa.Column("site", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("uri", sa.Text(), nullable=True),
        sa.Column("language", sa.String(32), nullable=True),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("fetched", TZ, nullable=True),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("credit_lines", sa.JSON(), nullable=False),
        sa.Column("furniture", sa.JSON(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("declaration_text", sa.Text(), nullable=True),
        sa.Column("copyright_notice", sa.Text(), nullable=True),
        sa.Column("ownership", sa.JSON(), nullable=False),
        sa.Column("ownership_class", sa.String(32), nullable=False),
        sa.Column("declaration_version", sa.String(128), nullable=True),
        sa.UniqueConstraint("article_id", "version", name="uq_article_versions_article_version"),
    )
    op.create_index("ix_article_versions_article_id", "article_versions", ["article_id"])
    op.create_index("ix_article_versions_sha256", "article_versions", ["sha256"])


def downgrade() -> None:
    op.drop_table("article_versions")
    op.drop_table("articles")
    op.drop_table("declarations")
    op.drop_table("sites")
