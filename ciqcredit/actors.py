"""Who acts: a person, an integrating system's API client, or a named system job.

Every state change takes one `Actor`; views, API endpoints and commands build it once (`Actor.of(user)` or
`Actor.job("evaluate")`). Part of the kernel: the user is referenced for type checking only, so this module
imports no app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ciqcredit.organizations.models import User

ActorKind = Literal["person", "api_client", "system"]


@dataclass(frozen=True)
class Actor:
    """A user (staff, enterprise user or API client) or, without a user, the system job named `system`."""

    user: User | None = None
    system: str = ""

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user=user)

    @classmethod
    def job(cls, name: str) -> Actor:
        return cls(system=name)

    @property
    def kind(self) -> ActorKind:
        if self.user is None:
            return "system"
        return "api_client" if self.user.is_system else "person"

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.username
        return f"system:{self.system or 'platform'}"

    @property
    def organization_id(self) -> int | None:
        return self.user.organization_id if self.user is not None else None
