"""PostgreSQL plans a repeated statement once per connection (DATABASE_PREPARED_STATEMENTS),
and a deployer behind a pooler that cannot carry prepared statements turns that off."""

import json

import pytest
from django.db import connection

from patients.models import Patient
from tests.config.test_settings_and_commands import PRODUCTION_ENV, _manage


def _prepared_on_this_connection() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_a_statement_run_five_times_is_prepared():
    marker = "prepared-statement-probe"

    def probe(pk: int) -> bool:
        return Patient.objects.filter(pk=pk, external_id=marker, first_name=marker).exists()

    def ours(statement: str) -> bool:
        return '"external_id" = $' in statement and '"first_name" = $' in statement

    for pk in range(4):
        probe(pk)
    assert not any(ours(s) for s in _prepared_on_this_connection())
    probe(5)
    probe(6)
    assert any(ours(s) for s in _prepared_on_this_connection())


@pytest.mark.parametrize(("value", "prepared"), [(None, True), ("0", False)])
def test_the_setting_turns_them_off(value, prepared):
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://stride@db.example:5432/stride"}
    if value is not None:
        env["DATABASE_PREPARED_STATEMENTS"] = value
    code = (
        "from django.conf import settings; import json; "
        "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    )
    result = _manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout.strip().splitlines()[-1])
    assert ("prepare_threshold" in options) is prepared
    assert options.get("server_side_binding", False) is prepared
