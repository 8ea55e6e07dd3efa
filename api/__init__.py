"""The JSON API (`/api/v1/`): the same use cases as the pages, for the software around Barème.

What lives where:
- `models.py` — `ApiToken` (one user's personal key, stored hashed) and `IdempotentReply`
  (the first answer to a request sent with an `Idempotency-Key`, replayed on a retry).
- `services.py` / `selectors.py` — creating and revoking tokens (audited), the user's tokens.
- `authentication.py` — `Authorization: Token <key>`; `throttling.py` — rates per token.
- `errors.py` — every error as JSON: 400 `{"field": ["message"]}` in the request's language,
  Django's `ValidationError`/`PermissionDenied`/`Http404` of the services mapped; never a 500.
- `base.py` — the base view (language from `Accept-Language`, channel "api" for the journal,
  idempotency, forms reused to validate input), `fields.py` and `serializers.py` (output shapes:
  amounts as strings with two decimals, months `YYYY-MM`), `pagination.py` (cursor).
- `views/` — one module per app: `reference.py` (public index, SSM, rates), `apprenticeship.py`,
  `lycee_aid.py`, `bts_fees.py`. Views call the apps' selectors and services only: no query or
  rule of their own.
- `urls.py` — the routes, the OpenAPI schema and its documentation pages; `account.py` — the
  account page where users create and revoke their keys.
"""
