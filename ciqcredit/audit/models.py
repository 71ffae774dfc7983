from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class ReadableJSONEncoder(DjangoJSONEncoder):
    """Stores Chinese as itself, not as \\uXXXX escapes: smaller rows, faster bulk writes, readable dumps."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class AuditEntry(models.Model):
    """One state change. Append-only: a database trigger refuses UPDATE (and DELETE on PostgreSQL)."""

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who acted, as text that survives: a username, or "system:<command>" for jobs and set-up.
    actor_label = models.CharField(max_length=150)
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=100, db_index=True)  # stable dotted code, e.g. enterprises.enterprise.updated
    target_type = models.CharField(max_length=100)  # app_label.model
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(max_length=200, blank=True)
    old = models.JSONField(null=True, blank=True, encoder=ReadableJSONEncoder)
    new = models.JSONField(null=True, blank=True, encoder=ReadableJSONEncoder)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        indexes = [models.Index(fields=["target_type", "target_id", "at"], name="audit_target_idx")]
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.target_type}:{self.target_id}"


class Transition(models.Model):
    """One status change of a workflow object (from, to, reason, actor, time): its history and its outbox.

    Abstract: each workflow keeps its own table with a foreign key to its object and `ordering`.
    """

    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["at", "id"]
