"""The write layer's shared parts: the one error type every action raises, and the permission
check every action starts with.

Every state change is a function in an app's ``actions`` module (``gongkai/<app>/actions.py`` or
the ``actions/`` package), shaped like this::

    def publish(actor, record):
        require(rules.can_publish(actor, record.publisher))   # 1. check
        with transaction.atomic():                            # 2. write
            record = _locked(record)
            ...
            audit.record(actor, "catalog.record.publish", record, before=..., after=...)  # 3. audit
        notify(...)                                           # 4. notify (after commit)
        return record

Views call actions through ``gongkai.core.views.run_action``; the API turns an
``ActionError`` into a JSON answer (``gongkai.api``); commands print its message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TypeAlias

    from django.contrib.auth.models import _AnyUser

    # The user an action runs as: the AUTH_USER_MODEL (refined by the django-stubs plugin) or
    # AnonymousUser. Annotate actors and permission predicates with it.
    AnyUser: TypeAlias = _AnyUser
    # Who an action is recorded as done by: a user, a system label ("命令行（…）", "系统"), or
    # None for the system.
    Actor: TypeAlias = _AnyUser | str | None

DEFAULT_FORBIDDEN = "您没有权限执行此操作。"


class ActionError(Exception):
    """An action was refused. ``message`` is Chinese and shown to the user as it is.

    ``field`` names the form field the refusal concerns, when there is one; ``forbidden`` marks
    a refusal because of who the actor is (views answer it with 403, the API with 403), as
    opposed to the state of the object or the input (a message on the form, 400/422);
    ``details`` lists the individual problems when there are several (an import's rows).
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        forbidden: bool = False,
        details: list[str] | tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.forbidden = forbidden
        self.details = list(details)

    @property
    def messages(self) -> list[str]:
        """The message followed by every detail, for a list on a page or the command line."""
        return [self.message, *self.details]

    def __str__(self) -> str:
        return self.message


def require(allowed: bool, message: str = DEFAULT_FORBIDDEN) -> None:
    """Refuse the action (forbidden) unless ``allowed``."""
    if not allowed:
        raise ActionError(message, forbidden=True)
