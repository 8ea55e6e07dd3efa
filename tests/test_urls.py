"""Walks every URL pattern: anonymous requests are sent to the login page unless listed public."""

import re
from importlib import import_module

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Views anyone may open without an account (docs/architecture.md "Who uses it": public calculator, rate tables).
# Each app lists its own in `<app>/urls.py: PUBLIC_URL_NAMES`, by their namespaced name.
PUBLIC_URL_NAMES = {
    "login",
    "set_language",
    "core:reference_rates",
    "core:reference_rates_pdf",
    "core:help",
    "core:accessibility",
    "core:legal",
}
for _app in ("apprenticeship", "lycee_aid", "bts_fees", "api"):
    PUBLIC_URL_NAMES |= set(getattr(import_module(f"{_app}.urls"), "PUBLIC_URL_NAMES", ()))


def walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            if ns == "admin":
                continue  # the Django admin has its own login (tested below)
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, prefix + str(pattern.pattern)


def concrete(route: str) -> str:
    route = re.sub(r"<(?:int|id):\w+>", "1", route)
    route = re.sub(r"<(?:str|slug|path|uuid)?:?\w+>", "x", route)
    route = route.lstrip("^").rstrip("$")
    return "/" + route


ALL = sorted(set(walk(get_resolver().url_patterns)), key=lambda x: (x[0] or "", x[1]))


def test_the_walk_sees_the_project_urls():
    names = {name for name, _ in ALL}
    assert {"core:home", "core:reference_rates", "login"} <= names


@pytest.mark.parametrize(("name", "route"), ALL, ids=[f"{n}|{r}" for n, r in ALL])
def test_non_public_urls_require_login(client, reference, name, route):
    url = concrete(route)
    response = client.get(url)
    if name in PUBLIC_URL_NAMES:
        assert response.status_code in (200, 302, 400, 404, 405), url
        if response.status_code == 302:
            assert "/compte/connexion/" not in response["Location"]
    elif name and name.startswith("api:"):
        # The JSON API authenticates by key, not by the session: no redirect to a login page.
        assert response.status_code == 401, f"{url} answered {response.status_code} to an anonymous caller"
    else:
        assert response.status_code == 302, f"{url} answered {response.status_code} to an anonymous user"
        assert response["Location"].startswith("/compte/connexion/"), url


def test_admin_requires_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
