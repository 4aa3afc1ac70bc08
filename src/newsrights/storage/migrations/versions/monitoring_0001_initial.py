"""monitoring area: runs, frontier pages with outcomes, findings per page.

Revision ID: monitoring_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "monitoring_0001"
down_revision = None
branch_labels = ("monitoring",)
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "monitor_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("config_json", sa.Text(), nullable=False),
        sa.Column("started_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("finished_at", TZ, nullable=True),
        sa.Column("report_json", sa.Text(), nullable=True),
    )
    op.create_index("ix_monitor_runs_name", "monitor_runs", ["name"])

    op.create_table(
        "monitor_pages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("monitor_runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key_sha", sa.String(64), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("reason", sa.String(64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(255), nullable=True),
        sa.Column("final_url", sa.Text(), nullable=True),
        sa.Column("capture", sa.String(512), nullable=True),
        sa.Column("payload_digest", sa.String(80), nullable=True),
        sa.Column("payload_sha256", sa.String(64), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("n_findings", sa.Integer(), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.UniqueConstraint("run_id", "key_sha", name="uq_monitor_pages_run_key"),
    )
    op.create_index("ix_monitor_pages_run_status", "monitor_pages", ["run_id", "status"])
    op.create_index("ix_monitor_pages_key_sha", "monitor_pages", ["key_sha"])

    op.create_table(
        "monitor_findings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("monitor_runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("page_id", sa.Integer(), sa.ForeignKey("monitor_pages.id", ondelete="CASCADE"), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.String(255), nullable=False),
        sa.Column("label", sa.String(16), nullable=False),
        sa.Column("verdict", sa.String(32), nullable=True),
        sa.UniqueConstraint("page_id", "finding_id", name="uq_monitor_findings_page_finding"),
    )
    op.create_index("ix_monitor_findings_run", "monitor_findings", ["run_id"])
    op.create_index("ix_monitor_findings_finding", "monitor_findings", ["finding_id"])


def downgrade() -> None:
    op.drop_table("monitor_findings")
    op.drop_table("monitor_pages")
    op.drop_table("monitor_runs")
