"""The partnership, the organisations it works with, and the people in them."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .attachment import Attachment
from .base import Base

SECTORS = ("Health", "Police", "Local authority", "Education", "Voluntary", "Probation", "Other")


class Partnership(Base):
    __tablename__ = "partnership"

    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(200), default="")
    # The image shown on report title blocks, kept in the database (None: no logo).
    logo_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id", ondelete="SET NULL"), nullable=True)
    logo: Mapped[Attachment | None] = relationship(foreign_keys=[logo_id])
    # Where a version before 0010 kept the logo, when the upgrade could not find that file to copy it
    # in ('' otherwise): the partnership form and the exports say it is missing.
    logo_path: Mapped[str] = mapped_column(String(500), default="")
    # The partnership's own Word template, kept in the database like the logo (None: the app's own).
    word_template_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id", ondelete="SET NULL"),
                                                         nullable=True)
    word_template_file: Mapped[Attachment | None] = relationship(foreign_keys=[word_template_id])
    # Where a version before 0013 kept the Word template, when the upgrade could not find that file to
    # copy it in ('' otherwise): the partnership form and the exports say it is missing.
    word_template: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # Known to this database only through rounds imported from its exchange files (a regional
    # database): never "this database's partnership", and its rounds are read-only.
    imported: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class Organisation(Base):
    __tablename__ = "organisation"

    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(100), default="")
    sector: Mapped[str] = mapped_column(String(100), default="Other")
    # The NHS Organisation Data Service code ("RVJ", "15C"): the same organisation reviewed by
    # several partnerships is recognised by it across their files.
    ods_code: Mapped[str] = mapped_column(String(20), default="", server_default="", index=True)
    # The organisation this one is, as recognised by its ODS code or confirmed by the regional lead
    # (a partnership's own record of it stays as that partnership wrote it).
    same_as_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))

    people: Mapped[list[Person]] = relationship(back_populates="organisation")

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def one_id(self) -> int:
        """The id of the organisation this one is across partnerships (its own when not linked)."""
        return self.same_as_id or self.id


class Person(Base):
    __tablename__ = "person"

    name: Mapped[str] = mapped_column(String(200))
    role_title: Mapped[str] = mapped_column(String(200), default="")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )

    organisation: Mapped[Organisation | None] = relationship(back_populates="people")

    def describe(self) -> str:
        """'Name, Role, Organisation' as the report's Methodology lists panel members."""
        parts = [self.name, self.role_title, self.organisation.name if self.organisation else ""]
        return ", ".join(p for p in parts if p)
