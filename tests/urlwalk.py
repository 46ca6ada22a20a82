"""Every URL pattern of the URLconf, with real ids filled in, for tests that walk them all."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

# Patterns that serve anonymous users by design (the name, as reverse() knows it).
PUBLIC = {"login", "set_language", "admin:login"}


@dataclass
class WalkedUrl:
    name: str
    url: str


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else None), prefix + str(entry.pattern)


def _admin_instance_pk(name: str):
    match = re.match(r"admin:(\w+?)_(\w+)_\w+$", name)
    if not match:
        return None
    for model in apps.get_models():
        if (model._meta.app_label, model._meta.model_name) == match.groups():
            obj = model._default_manager.order_by("pk").first()
            return obj.pk if obj else None
    return None


def _fill(name: str, pattern: str, values: dict[str, str]) -> str | None:
    values = {**values, **values.get(name, {})}

    def value_for(match):
        key = match.group("key")
        if key == "object_id":
            pk = _admin_instance_pk(name)
            return str(pk) if pk is not None else "1"
        if key in values:
            return values[key]
        raise KeyError(key)

    url = pattern
    if "(?P<" in url or url.startswith("^"):  # regex patterns (admin's catch-all, app_list)
        url = url.replace("^", "").replace("$", "")
        url = re.sub(r"\(\?P<app_label>[^)]*\)", values["app_label"], url)
        url = url.replace("(?P<url>.*)", "anything/")
        if "(" in url:
            return None
    return "/" + re.sub(r"<(?:\w+:)?(?P<key>\w+)>", value_for, url)


def every_url(values: dict) -> list[WalkedUrl]:
    """All patterns as concrete URLs.

    ``values`` gives a real value for each URL keyword; an entry keyed by a URL name (a dict)
    overrides them for that pattern alone.
    """
    walked = []
    for name, pattern in _patterns(get_resolver()):
        url = _fill(name or "", pattern, values)
        if url is not None:
            walked.append(WalkedUrl(name or pattern, url))
    return walked
