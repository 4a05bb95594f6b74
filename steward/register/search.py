"""Finding people on the register by name or registration number, fast at national scale.

What matches (the same on SQLite and PostgreSQL):

* a registration number, exactly, in any case and with or without spaces;
* otherwise every word of the query must be the start of a word of the
  person's current legal forenames, known-as name or legal surname, in any
  order. Case, accents, apostrophes and hyphens are ignored: queries and the
  stored ``names_key`` both go through :func:`steward.core.text.search_text`,
  so "siobhan oconnor" finds Siobhán O'Connor and "clarke ben" finds
  Clarke-Bennett.

Previous names are restricted: only ``include_previous_names=True`` (for the
registrar and for employers vetting an appointment, never the public) also
matches the query against each previous name together with the current names.

Ranking: people whose surname is exactly (part of) the query first, then
surnames starting with part of it, then everyone else; within each, by
surname, forenames and record number. Sorting is in byte order on both
databases, so they list the same people in the same order.

How it is fast (see migration 0002_search): on SQLite an FTS5 index with
prefix indexes finds the matching records; on PostgreSQL a GIN trigram index
answers the equivalent ``' ' || names_key LIKE '% word%'`` patterns. Counts of
searches stop at :data:`COUNT_LIMIT`; nobody pages through more than
:data:`MAX_RESULTS` results (the CSV download has the whole register).
"""

# The SQL here is built from fragments written in this module; every value a
# person typed goes in as a query parameter, never into the SQL text.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from steward.core import clock
from steward.core.text import search_text
from steward.register.numbers import PATTERN, clean_registration_number

# Enough for any real name, few enough to keep the SQL small whatever is typed.
MAX_QUERY_WORDS = 8
# Contiguous runs of the query compared with the surname, from this many words.
MAX_SPAN_WORDS = 5
COUNT_LIMIT = 10_000
MAX_RESULTS = 10_000


@dataclass(frozen=True)
class ParsedQuery:
    """A query as the database sees it: a registration number, or name words."""

    number: str | None = None
    words: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self.number is None and not self.words


def parse_query(q: str | None) -> ParsedQuery:
    """A registration number (``m123 4567`` is ``M1234567``) or up to 8 distinct words."""
    q = q or ""
    cleaned = clean_registration_number(q)
    if PATTERN.match(cleaned):
        return ParsedQuery(number=cleaned)
    words: list[str] = []
    for word in search_text(q).split():
        if word not in words:
            words.append(word)
    return ParsedQuery(words=tuple(words[:MAX_QUERY_WORDS]))


def surname_spans(words: tuple[str, ...]) -> list[str]:
    """Every run of neighbouring query words: what an exact surname could be.

    "anne clarke bennett" gives "anne", "clarke", "bennett", "anne clarke",
    "clarke bennett" and "anne clarke bennett".
    """
    spans = []
    for size in range(1, min(len(words), MAX_SPAN_WORDS) + 1):
        for start in range(len(words) - size + 1):
            span = " ".join(words[start : start + size])
            if span not in spans:
                spans.append(span)
    return spans


@dataclass(frozen=True)
class SearchPage:
    """The registrant ids of one page, in order, and how many match in all."""

    ids: list[int]
    count: int
    count_is_exact: bool


class _Sql:
    """Collects SQL fragments and their parameters in step."""

    def __init__(self):
        self.parts: list[str] = []
        self.params: list = []

    def add(self, sql: str, *params) -> None:
        self.parts.append(sql)
        self.params.extend(params)


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def _fts_match(words: tuple[str, ...]) -> str:
    # Words hold only letters and digits (search_text), quoted all the same so
    # that FTS5 never reads one as an operator such as AND, OR, NOT or NEAR.
    return " ".join(f'"{word}"*' for word in words)


def _words_like(expression: str, words: tuple[str, ...], sql: _Sql) -> str:
    """Every word starts a word of ``expression``: ``(' ' || expr) LIKE '% word%'``."""
    clauses = []
    for word in words:
        clauses.append(f"(' ' || {expression}) LIKE %s")
        sql.params.append(f"% {word}%")
    return " AND ".join(clauses)


def _name_match(words: tuple[str, ...], *, include_previous_names: bool, where: _Sql) -> None:
    vendor = connection.vendor
    if vendor == "sqlite":
        current = (
            "r.id IN (SELECT rowid FROM register_registrant_fts "
            "WHERE register_registrant_fts MATCH %s)"
        )
        params = [_fts_match(words)]
    else:
        scratch = _Sql()
        current = _words_like("r.names_key", words, scratch)
        params = scratch.params
    if not include_previous_names:
        where.add(f"({current})", *params)
        return
    # A previous name counts together with the current names: "jane jones"
    # finds Jane Smith, formerly Jones, whether or not "Jane" was recorded
    # with the previous surname.
    scratch = _Sql()
    previous_like = _words_like("pr.names_key || ' ' || p.names_key", words, scratch)
    previous = (
        "r.id IN (SELECT p.registrant_id FROM register_previousname p "
        "JOIN register_registrant pr ON pr.id = p.registrant_id "
        f"WHERE {previous_like})"
    )
    where.add(f"(({current}) OR {previous})", *params, *scratch.params)


def _filters(*, organisation_id, region_id, status, where: _Sql) -> None:
    today = clock.today()
    current_role = "c.start_date <= %s AND (c.end_date IS NULL OR c.end_date >= %s)"
    if status:
        where.add("r.status = %s", status)
    if organisation_id is not None:
        where.add(
            "r.id IN (SELECT c.registrant_id FROM register_careerrole c "
            f"WHERE c.organisation_id = %s AND {current_role})",
            organisation_id,
            today,
            today,
        )
    if region_id is not None:
        where.add(
            "r.id IN (SELECT c.registrant_id FROM register_careerrole c "
            "JOIN organisations_organisation o ON o.id = c.organisation_id "
            f"WHERE o.region_id = %s AND {current_role})",
            region_id,
            today,
            today,
        )


def _order_by(parsed: ParsedQuery, params: list) -> str:
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    order = [f"r.surname_key{collate}", f"r.legal_forenames{collate}", "r.id"]
    if parsed.words:
        spans = surname_spans(parsed.words)
        prefix = " OR ".join(["r.surname_key LIKE %s"] * len(spans))
        rank = (
            f"CASE WHEN r.surname_key IN ({_placeholders(len(spans))}) THEN 0 "
            f"WHEN {prefix} THEN 1 ELSE 2 END"
        )
        params.extend(spans)
        params.extend(f"{span}%" for span in spans)
        order.insert(0, rank)
    return ", ".join(order)


def _fts_only(parsed: ParsedQuery, where: _Sql, include_previous_names: bool) -> bool:
    """True when the FTS5 index alone answers the search (SQLite, words, no filters)."""
    return (
        connection.vendor == "sqlite"
        and bool(parsed.words)
        and not include_previous_names
        and len(where.parts) == 2  # on the register, and the name match
    )


def registrant_search(
    *,
    q: str = "",
    organisation_id: int | None = None,
    region_id: int | None = None,
    status: str | None = None,
    offset: int = 0,
    limit: int = 50,
    include_previous_names: bool = False,
    count_limit: int = COUNT_LIMIT,
) -> SearchPage:
    """One page of registrant ids matching ``q`` and the filters, best match first.

    Records merged into another are never listed (a search for a merged
    record's number finds the record it was merged into). ``organisation_id``
    and ``region_id`` keep people with a current role (started, not ended)
    there. A handful of queries at most, whatever the number of matches.
    """
    parsed = parse_query(q)
    where = _Sql()
    where.add("r.merged_into_id IS NULL")
    if parsed.number is not None:
        where.add(
            "(r.registration_number = %s OR r.id IN (SELECT m.merged_into_id "
            "FROM register_registrant m WHERE m.registration_number = %s))",
            parsed.number,
            parsed.number,
        )
    elif parsed.words:
        _name_match(parsed.words, include_previous_names=include_previous_names, where=where)
    _filters(organisation_id=organisation_id, region_id=region_id, status=status, where=where)
    where_sql = " AND ".join(where.parts)

    if len(where.parts) == 1:
        count, exact = _count_all(), True
    elif _fts_only(parsed, where, include_previous_names):
        count, exact = _count_fts(parsed.words, count_limit)
    else:
        count, exact = _count_bounded(where_sql, where.params, count_limit)

    offset = max(0, offset)
    limit = max(0, min(limit, MAX_RESULTS - offset))
    if limit == 0 or offset >= count:
        return SearchPage(ids=[], count=count, count_is_exact=exact)
    if len(parsed.words) == 1 and len(where.parts) == 2 and not include_previous_names:
        ids = _one_word_page(parsed.words[0], offset=offset, limit=limit)
        return SearchPage(ids=ids, count=count, count_is_exact=exact)
    order_params: list = []
    order_sql = _order_by(parsed, order_params)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.id FROM register_registrant r WHERE {where_sql} "
            f"ORDER BY {order_sql} LIMIT %s OFFSET %s",
            [*where.params, *order_params, limit, offset],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return SearchPage(ids=ids, count=count, count_is_exact=exact)


def _after_prefix(prefix: str) -> str:
    """The first string after every string starting with ``prefix`` (code point order)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _one_word_page(word: str, *, offset: int, limit: int) -> list[int]:
    """A page for a one-word name search, one class of match at a time.

    The commonest searches (a surname, or the start of one) are answered in
    the order results are shown, from the (surname, forenames, id) index, and
    stop after a page: people whose surname is the word, then people whose
    surname starts with it, and only then the rest (forenames and known-as
    names), so a search for "smith" or "a" never sorts every match. The
    result is exactly what the general query gives.
    """
    vendor = connection.vendor
    collate = ' COLLATE "C"' if vendor == "postgresql" else ""
    indexed = " INDEXED BY register_registrant_public_order" if vendor == "sqlite" else ""
    order = f"r.surname_key{collate}, r.legal_forenames{collate}, r.id"
    starts = f"(r.surname_key{collate} >= %s AND r.surname_key{collate} < %s)"
    after = _after_prefix(word)
    match = _Sql()
    _name_match((word,), include_previous_names=False, where=match)
    # (condition, parameters, walk the display-order index?)
    classes = [
        ("r.surname_key = %s", [word], True),
        (f"{starts} AND r.surname_key <> %s", [word, after, word], True),
        (f"{match.parts[0]} AND NOT {starts}", [*match.params, word, after], False),
    ]
    ids: list[int] = []
    skip = offset
    with connection.cursor() as cursor:
        for condition, params, by_index in classes:
            wanted = limit - len(ids)
            if wanted <= 0:
                break
            base = (
                f"FROM register_registrant r{indexed if by_index else ''} "
                f"WHERE r.merged_into_id IS NULL AND {condition}"
            )
            cursor.execute(
                f"SELECT r.id {base} ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, wanted, skip],
            )
            found = [row[0] for row in cursor.fetchall()]
            ids.extend(found)
            if found:
                skip = 0
            elif skip:
                # The whole class lies before this page: skip past it.
                cursor.execute(
                    f"SELECT COUNT(*) FROM (SELECT 1 {base} LIMIT %s) AS c", [*params, skip]
                )
                skip -= cursor.fetchone()[0]
    return ids


def _count_all() -> int:
    """Everyone on the register: all records less the few merged into another.

    Counting the whole table is a walk of its smallest index; ``IS NULL``
    would walk the same index by value, several times slower.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT COUNT(*) FROM register_registrant) - (SELECT COUNT(*) "
            "FROM register_registrant WHERE merged_into_id IS NOT NULL)"
        )
        return cursor.fetchone()[0]


def _count_fts(words: tuple[str, ...], limit: int) -> tuple[int, bool]:
    """Count from the FTS5 index alone: it holds only records on the register."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT rowid FROM register_registrant_fts "
            "WHERE register_registrant_fts MATCH %s LIMIT %s) AS matches",
            [_fts_match(words), limit + 1],
        )
        count = cursor.fetchone()[0]
    if count > limit:
        return limit, False
    return count, True


def _count_bounded(where_sql: str, params: list, limit: int) -> tuple[int, bool]:
    """How many match, counting no further than ``limit``; and whether that is all."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM register_registrant r WHERE {where_sql} "
            "LIMIT %s) AS matches",
            [*params, limit + 1],
        )
        count = cursor.fetchone()[0]
    if count > limit:
        return limit, False
    return count, True
