"""Searching everything Steward stored for what must never be kept (ADR 005)."""

import datetime as dt

from django.apps import apps
from django.db import connection, models


def every_stored_value() -> str:
    """Every value of every column of every table, as text (bytes read as Latin-1,
    so any byte string can be searched for)."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                values.extend(
                    bytes(v).decode("latin-1") if isinstance(v, bytes | memoryview) else str(v)
                    for v in row
                )
    return "\n".join(values)


def row_keys() -> dict:
    """Every model's primary keys now, to compare with later."""
    return {
        model: set(model._base_manager.values_list("pk", flat=True))
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def rows_added_since(before: dict) -> dict:
    """The rows each model gained since ``before`` (model → list of instances)."""
    added = {}
    for model, keys in before.items():
        new = list(model._base_manager.exclude(pk__in=keys))
        if new:
            added[model] = new
    return added


def times_held(rows: dict) -> list[str]:
    """Every datetime value (finer than a day) held by the given rows."""
    found = []
    for model, instances in rows.items():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)]
        for instance in instances:
            for field in fields:
                value = getattr(instance, field.attname)
                if isinstance(value, dt.datetime):
                    found.append(f"{model._meta.label}.{field.name}={value}")
    return found
