"""Our migrations create the tables slack_sdk's OAuth stores read and write: same names, same
columns, same types and nullability, so the stores work on our database without `create_all`."""

from __future__ import annotations

import pytest
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table

from bot.storage import schema

THEIRS = MetaData()
PAIRS = [
    (
        SQLAlchemyInstallationStore.build_installations_table(THEIRS, "slack_installations"),
        schema.slack_installations,
    ),
    (SQLAlchemyInstallationStore.build_bots_table(THEIRS, "slack_bots"), schema.slack_bots),
    (
        SQLAlchemyOAuthStateStore.build_oauth_states_table(THEIRS, "slack_oauth_states"),
        schema.slack_oauth_states,
    ),
]


@pytest.mark.parametrize(("theirs", "ours"), PAIRS, ids=lambda t: t.name)
def test_our_table_has_the_stores_columns(theirs: Table, ours: Table) -> None:
    assert ours.name == theirs.name

    def shape(table: Table) -> list[tuple[str, str, bool, bool]]:
        return [
            (c.name, repr(c.type), bool(c.nullable), bool(c.primary_key)) for c in table.columns
        ]

    assert shape(ours) == shape(theirs)
    assert {i.name: [c.name for c in i.columns] for i in ours.indexes} == {
        i.name: [c.name for c in i.columns] for i in theirs.indexes
    }
