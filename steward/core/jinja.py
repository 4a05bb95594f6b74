"""The Jinja2 environment: NHS.UK frontend macros, Django helpers, UK formats."""

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import urlencode
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from steward.core.formatting import uk_date, uk_datetime
from steward.core.nhsuk_forms import error_list, field_params


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def query(request, **changes) -> str:
    """The current query string with some parameters changed (for filters and paging)."""
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = urlencode(sorted(params.lists()), doseq=True)
    return f"?{encoded}" if encoded else "?"


def environment(**options) -> Environment:
    options["undefined"] = ChainableUndefined
    # Django's own loader (app jinja2/ folders) first, then NHS.UK's macros.
    options["loader"] = ChoiceLoader([options["loader"], PackageLoader("nhsuk_frontend_jinja")])
    options.setdefault("autoescape", True)
    env = Environment(**options)  # noqa: S701 - autoescape is set just above
    env.globals.update(
        {
            "static": static,
            "url": url,
            "query": query,
            "get_messages": get_messages,
            "nhsuk_field_params": field_params,
            "nhsuk_error_list": error_list,
        }
    )
    env.filters.update({"uk_date": uk_date, "uk_datetime": uk_datetime})
    return env
