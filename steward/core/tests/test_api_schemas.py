"""Every API schema has a name of its own: the OpenAPI document keys schemas by class
name, so two different schemas with one name would document one of them wrongly (a
reporter's message documented with the caseworker's fields, say)."""

from collections import defaultdict

from ninja import Schema

import steward.api  # noqa: F401  (imports every router, so every schema is defined)
from steward.api import api


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_two_schemas_share_a_name():
    modules = defaultdict(set)
    for schema in _subclasses(Schema):
        if schema.__module__.startswith("steward."):
            modules[schema.__name__].add(f"{schema.__module__}.{schema.__qualname__}")
    shared = {name: sorted(where) for name, where in modules.items() if len(where) > 1}
    assert not shared, shared


def test_the_documented_schemas_are_the_ones_each_endpoint_takes():
    components = api.get_openapi_schema()["components"]["schemas"]
    assert set(components["ReporterMessageIn"]["properties"]) == {"body"}
    assert {"needs_reply", "is_feedback"} <= set(components["CaseworkerMessageIn"]["properties"])
    assert "row" in components["ImportProblemOut"]["properties"]
