"""Discord's rules for answering one interaction, as the stand-in enforces them.

- The initial response (`POST /interactions/{id}/{token}/callback`) must arrive within 3 s of the
  interaction's dispatch, else 404 `10062 Unknown interaction`; a second one gets 400
  `40060 Interaction has already been acknowledged`.
- The token then serves follow-ups and edits or deletes of the original for 15 minutes. Before an
  initial response it is unknown (404 `10015 Unknown Webhook`); after the window it is invalid
  (401 `50027 Invalid Webhook Token`).
- A follow-up sent while the original is still a type-5 defer's "thinking" message edits that
  message instead of creating one, and keeps the defer's visibility (documented as deprecated,
  kept for backwards compatibility).
- The response type must suit the interaction: autocomplete gets choices (8) only, a command
  cannot update a message (6, 7), and a modal submission cannot open another modal (9).
- A modal (9) is an initial response like any other: it cannot follow a defer or a message
  (40060), nor come after the 3 s (10062). It creates no message; what the person submits comes
  back as a new interaction (type 5, MODAL_SUBMIT) with its own token and 3 s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ACK_DEADLINE_SECONDS = 3.0
TOKEN_LIFETIME_SECONDS = 15 * 60.0

EPHEMERAL = 1 << 6
LOADING = 1 << 7

PONG, MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE, CHOICES, MODAL = 1, 4, 5, 6, 7, 8, 9
COMMAND, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
ALLOWED_RESPONSES = {
    COMMAND: {MESSAGE, DEFERRED_MESSAGE, MODAL},
    COMPONENT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE, MODAL},
    AUTOCOMPLETE: {CHOICES},
    MODAL_SUBMIT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE},
}

UNKNOWN_INTERACTION = {"message": "Unknown interaction", "code": 10062}
ALREADY_ACKNOWLEDGED = {"message": "Interaction has already been acknowledged.", "code": 40060}
UNKNOWN_WEBHOOK = {"message": "Unknown Webhook", "code": 10015}
INVALID_WEBHOOK_TOKEN = {"message": "Invalid Webhook Token", "code": 50027}
UNKNOWN_MESSAGE = {"message": "Unknown Message", "code": 10008}
TOO_LARGE = {"message": "Request entity too large", "code": 40005}


class Refusal(Exception):
    """What Discord answers instead of doing what was asked."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body


@dataclass
class InteractionRecord:
    id: str
    token: str
    kind: int
    dispatched_at: float
    attachment_size_limit: int
    source_message: dict[str, Any] | None = None
    acknowledged_after: float | None = None
    response_type: int | None = None
    original: dict[str, Any] | None = None
    original_deleted: bool = False
    modal: dict[str, Any] | None = None  # the modal shown, as the MODAL callback's data
    followups: list[dict[str, Any]] = field(default_factory=list)
    late: bool = False

    def acknowledge(self, now: float, response_type: int, deadline: float) -> None:
        """Raises the refusal Discord gives; otherwise records the acknowledgement."""
        if self.response_type is not None:
            raise Refusal(400, ALREADY_ACKNOWLEDGED)
        if self.late or now - self.dispatched_at > deadline:
            self.late = True
            raise Refusal(404, UNKNOWN_INTERACTION)
        if response_type not in ALLOWED_RESPONSES.get(self.kind, set()):
            raise Refusal(
                400,
                {
                    "message": "Invalid Form Body",
                    "code": 50035,
                    "errors": {
                        "type": {
                            "_errors": [
                                {
                                    "code": "INTERACTION_RESPONSE_TYPE_INVALID",
                                    "message": "Interaction response type is invalid.",
                                }
                            ]
                        }
                    },
                },
            )

    def record_acknowledgement(self, now: float, response_type: int) -> None:
        self.response_type = response_type
        self.acknowledged_after = now - self.dispatched_at

    def check_token(self, now: float, lifetime: float) -> None:
        if self.response_type is None:
            raise Refusal(404, UNKNOWN_WEBHOOK)
        if now - self.dispatched_at > lifetime:
            raise Refusal(401, INVALID_WEBHOOK_TOKEN)

    @property
    def thinking(self) -> bool:
        """The original is still a defer's loading message, not yet edited or deleted."""
        return (
            self.original is not None
            and not self.original_deleted
            and bool(self.original["flags"] & LOADING)
        )

    def message(self, message_id: str) -> dict[str, Any]:
        """`@original` or one of the follow-ups, as the webhook message routes address them."""
        if message_id == "@original":
            if self.original is None or self.original_deleted:
                raise Refusal(404, UNKNOWN_MESSAGE)
            return self.original
        for followup in self.followups:
            if followup["id"] == message_id and not followup.get("deleted"):
                return followup
        raise Refusal(404, UNKNOWN_MESSAGE)

    @property
    def messages(self) -> list[dict[str, Any]]:
        """What the person sees, in order: the original response, then the follow-ups."""
        shown = [self.original] if self.original and not self.original_deleted else []
        return shown + [f for f in self.followups if not f.get("deleted")]

    @property
    def answered(self) -> bool:
        """Something other than a "thinking" placeholder has arrived."""
        return any(not m["flags"] & LOADING for m in self.messages)
