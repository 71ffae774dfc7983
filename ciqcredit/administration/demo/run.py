"""What one demo run carries from step to step, and what it prints at the end."""

from collections.abc import Callable
from dataclasses import dataclass, field

from ciqcredit.actors import Actor

DEMO_PASSWORD = "demo-2017"
DEFAULT_ENTERPRISES = 3000
SEED = 2017


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    role: str  # Chinese label(s)
    organization: str


@dataclass(frozen=True)
class ClientLine:
    name: str
    scopes: str
    organization: str
    token: str  # the secret when made in this run, else a hint


@dataclass
class DemoRun:
    enterprises: int = DEFAULT_ENTERPRISES
    seed: int = SEED
    actor: Actor = field(default_factory=lambda: Actor.job("demo"))
    report: Callable[[str], None] = lambda line: None
    clients: list[ClientLine] = field(default_factory=list)
