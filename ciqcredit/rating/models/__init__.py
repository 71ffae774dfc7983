"""The rating app's models, one module per use case: grade history (`grades`), the e-CIQ activity feed
(`activity`), periodic evaluation (`evaluation`), AA applications (`aa`), key enterprises and files (`key`),
and the change feed that integrating systems follow (`feed`).
Import them from here: `from ciqcredit.rating.models import GradeChange`."""

from ciqcredit.rating.models.aa import AAApplication, AABatch, AABatchStatus, AARequest, AARequestStatus, AAStatus
from ciqcredit.rating.models.activity import MonthlyActivity
from ciqcredit.rating.models.evaluation import EvaluationResult, EvaluationRun, ResultStatus
from ciqcredit.rating.models.feed import ChangeFeedEntry, FeedKind
from ciqcredit.rating.models.grades import GRADE_CHOICES, CurrentGrade, GradeCause, GradeChange
from ciqcredit.rating.models.key import (
    KeyEnterprise,
    KeyEnterpriseRule,
    KeyFile,
    KeyFileAttachment,
    KeyFileEntry,
)

__all__ = [
    "GRADE_CHOICES",
    "AABatch",
    "AABatchStatus",
    "AAApplication",
    "AARequest",
    "AARequestStatus",
    "AAStatus",
    "ChangeFeedEntry",
    "FeedKind",
    "CurrentGrade",
    "EvaluationResult",
    "EvaluationRun",
    "GradeCause",
    "GradeChange",
    "KeyEnterprise",
    "KeyEnterpriseRule",
    "KeyFile",
    "KeyFileAttachment",
    "KeyFileEntry",
    "MonthlyActivity",
    "ResultStatus",
]
