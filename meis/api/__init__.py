"""The machine interface, API v1 (issue 20, ADR 0019): django-ninja, OpenAPI 3.1 from the type
hints, the interactive documentation served with the project's own static files, errors as RFC
9457 problem details.

Owns the API clients an administrator registers (an institution's system, its scopes, allowed
addresses and rate limit), their credentials (hashed; several at once for rotation; revocable)
and the short-lived bearer tokens they obtain (kept as digests). The rules endpoints are open,
limited per address; the client endpoints need a token with the endpoint's scope, each client
limited on its own; the limits are atomic counters in Redis shared by every process.

Also owns the call log (`ApiCall`, one row per client call, written by `middleware.py` in the
call's own transaction) and the applications clients submitted (`ApiSubmission`: the client's
Idempotency-Key and the case it made).

Writes: `services.py` (`client_register`, `credential_issue`, `credential_revoke`,
`token_issue`), `management/` (`meis api …`), `applications.py` (through the cases'
`case_submit`, channel API), `middleware.py` (the call log).
Reads: `services.py` (`token_client`), `selectors.py` (a person's status on a day), `rules.py`,
`certificates.py` (verification by code or PDF through the certificates' own service, audited
with the client's institution), `persons.py` (person status, audited with the purpose),
`clients.py` (the token endpoint and the bearer check with its scope); the API object in
`api.py`.
"""
