"""Which workspace a request comes from, as the core records it.

Bolt reads it from every kind of payload (`team_id` or `team.id`, `enterprise_id` or
`enterprise.id`, the event's `authorizations`, a view's `app_installed_team_id`) into its
context, and looks the installation up by the same ids; we record exactly those, so the token
found later for outbound work is the one that answered the request. For an Enterprise Grid
org-wide install (`is_enterprise_install`) the team is recorded too: outbound work falls back
from the team to its organisation's installation (adapters.slack.clients.CachedTokens), and
Slack's rate limits still count per team.
"""

from __future__ import annotations

from slack_bolt.context.async_context import AsyncBoltContext

from bot.domain.context import WorkspaceRef


def request_workspace(context: AsyncBoltContext) -> WorkspaceRef | None:
    team_id, enterprise_id = context.team_id, context.enterprise_id
    if team_id is None and enterprise_id is None:
        return None
    return WorkspaceRef(team_id, enterprise_id)
