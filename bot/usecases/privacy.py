"""A person's own data: export it, delete it (after confirming), and reminder consent."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from bot.domain.commands import ConfirmForget
from bot.domain.context import Context
from bot.domain.errors import QuizError
from bot.usecases.deps import Deps, identify


async def export_data(deps: Deps, ctx: Context) -> bytes | None:
    """JSON of everything stored about the person; None when nothing is stored."""
    async with deps.uow() as uow:
        user_id = await uow.personal.find_user(ctx.actor.platform, ctx.actor.user_id)
        if user_id is None:
            return None
        data = await uow.personal.export(user_id)
    data["exported_at"] = deps.clock.now()
    return json.dumps(data, indent=2, default=_json_value, sort_keys=True).encode()


async def forget(deps: Deps, ctx: Context, command: ConfirmForget) -> bool:
    """Only the person themselves can confirm; False when there was nothing to delete."""
    if (command.platform, command.user_id) != (ctx.actor.platform, ctx.actor.user_id):
        raise QuizError("Only the person who asked can confirm deleting their data.")
    async with deps.uow(write=True) as uow:
        user_id = await uow.personal.find_user(ctx.actor.platform, ctx.actor.user_id)
        if user_id is None:
            return False
        await uow.personal.delete(user_id)
        await uow.commit()
    return True


async def set_remind(deps: Deps, ctx: Context, on: bool) -> None:
    now = deps.clock.now()
    async with deps.uow(write=True) as uow:
        user, _channel = await identify(uow, ctx, now)
        await uow.users.set_remind(user.id, on)
        await uow.commit()


async def remind_setting(deps: Deps, ctx: Context) -> bool:
    """Looked up without creating anyone: someone we have never seen has reminders off."""
    async with deps.uow() as uow:
        user_id = await uow.personal.find_user(ctx.actor.platform, ctx.actor.user_id)
        return user_id is not None and await uow.users.reminds(user_id)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot export {type(value).__name__}")
