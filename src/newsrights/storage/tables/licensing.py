"""Tables of the licensing area: parties, versioned ODRL policies, registry snapshots,
settings, products and invoices.

A policy version row holds the ODRL JSON-LD of one version of a policy with the
period its terms govern (``valid_from`` … ``valid_to``, UTC); amending a
contract closes the current row and adds the next version. A snapshot row is
the whole registry in force at one moment, keyed by its content hash
(``reg-…``) — the id every verdict names.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from newsrights.storage.db import Base


class PartyRow(Base):
    __tablename__ = "licensing_parties"

    uid: Mapped[str] = mapped_column(sa.String(300), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    domains: Mapped[str] = mapped_column(sa.Text, default="[]")  # JSON list
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class PolicyVersionRow(Base):
    __tablename__ = "licensing_policy_versions"
    __table_args__ = (sa.UniqueConstraint("uid", "version", name="uq_licensing_policy_version"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(sa.String(300), index=True)
    version: Mapped[int] = mapped_column(sa.Integer)
    policy_type: Mapped[str] = mapped_column(sa.String(20))
    assigner: Mapped[str | None] = mapped_column(sa.String(300), nullable=True)
    assignee: Mapped[str | None] = mapped_column(sa.String(300), nullable=True, index=True)
    valid_from: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    valid_to: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), nullable=True)
    document: Mapped[str] = mapped_column(sa.Text)  # ODRL JSON-LD
    sha256: Mapped[str] = mapped_column(sa.String(64))
    note: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class SnapshotRow(Base):
    __tablename__ = "licensing_snapshots"

    id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    document: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class SettingRow(Base):
    __tablename__ = "licensing_settings"

    key: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text)


class ProductRow(Base):
    __tablename__ = "licensing_products"

    id: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[str] = mapped_column(sa.String(20))
    pricing: Mapped[str] = mapped_column(sa.String(20))
    price: Mapped[str] = mapped_column(sa.String(40))  # decimal as text
    currency: Mapped[str] = mapped_column(sa.String(3))
    selector: Mapped[str] = mapped_column(sa.Text, default="[]")
    actions: Mapped[str] = mapped_column(sa.Text, default='["reproduce"]')
    credit: Mapped[str | None] = mapped_column(sa.String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class InvoiceRow(Base):
    __tablename__ = "licensing_invoices"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    product_id: Mapped[str] = mapped_column(sa.ForeignKey("licensing_products.id"), index=True)
    licensee_uid: Mapped[str] = mapped_column(sa.ForeignKey("licensing_parties.uid"), index=True)
    agreement_uid: Mapped[str] = mapped_column(sa.String(300))
    amount: Mapped[str] = mapped_column(sa.String(40))
    currency: Mapped[str] = mapped_column(sa.String(3))
    chars: Mapped[int | None] = mapped_column(sa.Integer, nullable=True)
    issued_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
