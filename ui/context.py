"""What every screen of a signed-in window shares."""

from dataclasses import dataclass

from app.db import Store
from app.permissions import Actor
from models.tables import CounterProfile
from ui.tasks import TaskRunner


@dataclass
class CounterContext:
    store: Store
    runner: TaskRunner
    actor: Actor
    profile: CounterProfile
