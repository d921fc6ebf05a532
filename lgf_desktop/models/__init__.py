"""The ORM: every table of an LGF database (SQLAlchemy 2, no Qt)."""

from .attachment import Attachment
from .audit import (
    VOICE_HEARD, Assignment, Audit, AuditCase, AuditLink, AuditQuestion, AuditSection, Auditor,
    CaseAgency, Grade, GradeOption, MergeConflict, ModeratedGrade,
)
from .base import Base, VersionedMixin, new_uuid, utcnow
from .draft import Draft
from .exchange import NOTE_STATUSES, ExchangeImport, NoteContribution
from .history import ChangeLog, Setting
from .people import SECTORS, Organisation, Partnership, Person
from .recommendation import (
    DEFAULT_SOURCE_KINDS, OPEN_STATUSES, RECOMMENDATION_STATUSES, ProgressNote, Recommendation, SourceKind,
)
from .review import (
    REPRESENTATIVE_KINDS, REVIEW_STATUSES, ContactAttempt, Representative, Response, ResponseVersion, Review,
    ReviewPanelPresence, ThemeTime,
)
from .self_assessment import (
    RETURN_STATES, RatingOption, SelfAssessmentAnswer, SelfAssessmentReturn, SelfAssessmentSetup, Standard,
)
from .regional import RecurringGroup, RecurringGroupMember, RegionalRecommendation, RegionalText
from .round import APPENDIX_KINDS, PANEL_ROLES, PanelMember, Question, ReportAppendix, Round, Theme

__all__ = [name for name in dir() if not name.startswith("_")]
