app_name = "apprenticeship"

# Views anyone may open without an account, by namespaced name (checked by tests/test_urls.py).
PUBLIC_URL_NAMES: set[str] = set()

urlpatterns: list = []
