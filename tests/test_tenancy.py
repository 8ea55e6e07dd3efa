"""Cross-tenant matrix: every URL × every id × two users of different schools or employers.

With the demo data loaded, each user of a pair opens every URL pattern with every object id.
No page (read, export, PDF, file download) may be reachable by both users of a pair unless the
URL is listed as shared reference data; and a write (POST) by one user to an object only the other
can see is refused (403/404/405) and changes nothing. The JSON API's routes go through the same
matrix with each user's personal key (POST and PUT for the writes).
"""

import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Max
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from api.urls import PUBLIC_URL_NAMES as API_PUBLIC_URL_NAMES
from core.models import User

# Pages that are the same for every tenant on purpose (reference data, public rate tables…).
SHARED_URL_NAMES = {
    "core:home",
    "core:jobs",
    "core:journal",
    "core:reference_rates",
    "core:reference_rates_pdf",
    "lycee_aid:formation_list",  # the year's list of eligible formations (annex of the modalities)
}
SHARED_URL_PREFIXES = ()
# The API's reference data, and who the key belongs to (each user their own, no id in the path).
SHARED_API_URL_NAMES = API_PUBLIC_URL_NAMES | {"api:me"}

PAIRS = [
    ("lycee.paris", "lycee.creteil"),
    ("lycee.bonnevoie", "lycee.ettelbruck"),
    ("employeur.a", "employeur.b"),
]


def url_patterns(patterns=None, prefix="", namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            if ns != "admin":
                yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), prefix + str(pattern.pattern)


def max_object_id() -> int:
    highest = 0
    for app in ("apprenticeship", "lycee_aid", "bts_fees"):
        for model in apps.get_app_config(app).get_models():
            if not model.__name__.startswith("Historical"):
                highest = max(highest, model.objects.aggregate(m=Max("pk"))["m"] or 0)
    return min(highest, 80)


def concrete_urls(route: str, highest: int):
    """Every URL a route can take with ids 1..highest (other path parameters get a plausible value)."""
    ints = re.findall(r"<(?:int|id):(\w+)>", route)
    base = re.sub(r"<(?:str|slug|path)?:?(\w+)>", lambda m: "2024-2025" if "year" in m.group(1) else "x", route)
    if not ints:
        yield "/" + base
        return
    for value in range(1, highest + 1):
        yield "/" + re.sub(r"<(?:int|id):\w+>", str(value), base)


def api_client(username: str):
    from rest_framework.test import APIClient

    from api.services import api_token_create

    user = User.objects.get(username=username)
    _token, key = api_token_create(actor=user, user=user, name="tenancy")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def reachable(client: Client, urls, statuses: dict | None = None):
    seen = set()
    for name, url in urls:
        response = client.get(url)
        if response.status_code == 200:
            seen.add((name, url))
        if statuses is not None:
            statuses[url] = response.status_code
        assert response.status_code != 500, url
    return seen


@pytest.mark.tenancy
@pytest.mark.parametrize(("user_a", "user_b"), PAIRS, ids=[f"{a}|{b}" for a, b in PAIRS])
def test_no_page_crosses_a_tenant(db, user_a, user_b):
    call_command("bareme_init", "--demo", verbosity=0)
    highest = max_object_id()
    urls = [(name, url) for name, route in url_patterns() for url in concrete_urls(route, highest)]
    clients = {}
    for username in (user_a, user_b):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    statuses_b: dict[str, int] = {}
    seen_a = reachable(clients[user_a], urls)
    seen_b = reachable(clients[user_b], urls, statuses_b)
    assert seen_a, f"{user_a} reaches nothing: the demo data does not cover this tenant"
    shared = {
        (name, url)
        for name, url in seen_a & seen_b
        if name not in SHARED_URL_NAMES and not name.startswith(SHARED_URL_PREFIXES)
    }
    # A page reached by both with an id in its path is another tenant's object.
    leaks = {(name, url) for name, url in shared if re.search(r"/\d+(/|$)", url)}
    assert not leaks, f"reachable by both {user_a} and {user_b}: {sorted(leaks)[:10]}"

    # Writes: what only A can reach, B may not change.
    only_a = sorted(url for name, url in seen_a - seen_b if re.search(r"/\d+(/|$)", url))
    # Another school's or company's object does not exist for a user of the same role: 404 in
    # every app, never 403 (which would say that it exists).
    same_role = User.objects.get(username=user_a).role == User.objects.get(username=user_b).role
    if same_role:
        forbidden = [url for url in only_a if statuses_b[url] == 403]
        assert not forbidden, f"403 instead of 404 for {user_b}: {forbidden[:10]}"
    for url in only_a:
        response = clients[user_b].post(url, {})
        assert response.status_code in (403, 404, 405), f"POST {url} as {user_b}: {response.status_code}"
    print(
        f"{user_a}/{user_b}: {len(urls)} URLs × 2 users, {len(seen_a)} + {len(seen_b)} reachable, "
        f"{len(only_a)} foreign writes refused"
    )
    api_matrix(user_a, user_b, [(name, url) for name, url in urls if name.startswith("api:")])


def api_matrix(user_a, user_b, urls):
    """The same matrix over the API's routes, each user with their own key."""
    from core.models import AuditEvent

    clients = {username: api_client(username) for username in (user_a, user_b)}
    seen_a = reachable(clients[user_a], urls)
    seen_b = reachable(clients[user_b], urls)
    assert seen_a, f"{user_a} reaches nothing through the API"
    leaks = {
        (name, url)
        for name, url in seen_a & seen_b
        if name not in SHARED_API_URL_NAMES and re.search(r"/\d+(/|$)", url)
    }
    assert not leaks, f"API routes reachable by both {user_a} and {user_b}: {sorted(leaks)[:10]}"
    only_a = sorted(url for name, url in seen_a - seen_b if re.search(r"/\d+(/|$)", url))
    events = AuditEvent.objects.count()
    for url in only_a:
        for method in (clients[user_b].post, clients[user_b].put):
            response = method(url, {}, format="json")
            assert response.status_code in (403, 404, 405), f"{url} as {user_b}: {response.status_code}"
    assert AuditEvent.objects.count() == events, "a refused API write left a journal event"
    print(f"API {user_a}/{user_b}: {len(urls)} URLs, {len(seen_a)} + {len(seen_b)} reachable, {len(only_a)} refused")
