"""Inserting many plain rows fast: one ``executemany`` per chunk, no model instances.

``bulk_create`` spends most of a large write preparing each value through the ORM
(and on SQLite splits every insert into batches of 999 parameters). Callers that
write tens of thousands of rows (imports, opening a national year) use this.
"""

from django.db import DEFAULT_DB_ALIAS, connections

CHUNK = 5000


def insert_rows(model, names: tuple[str, ...], rows: list[tuple], *, prepared: bool) -> None:
    """INSERT ``rows`` (tuples in the order of ``names``) into ``model``'s table.

    ``prepared`` says the values are already in database form; otherwise each is
    prepared by its field (dates, booleans, foreign keys given as ids)."""
    if not rows:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    # Table and column names come from the model; every value is a parameter.
    columns = ", ".join(quote(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            if not prepared:
                chunk = [
                    [
                        field.get_db_prep_save(value, connection)
                        for field, value in zip(fields, row, strict=True)
                    ]
                    for row in chunk
                ]
            cursor.executemany(sql, chunk)
