"""The read-only API (issue 18): `/api/`, its OpenAPI 3 schema and documentation.

Built with Django REST framework and drf-spectacular rather than django-ninja:
DRF is the most used and longest maintained API library for Django (Encode, since
2011), and it brings what this API needs without code of our own: pagination,
per-client throttles backed by the cache, pluggable authentication (our hashed
tokens beside the session), and a browsable API that a chair can click through.
drf-spectacular writes the OpenAPI 3 schema from the same views and serializers;
`/api/docs/` renders that schema on a page of our own (`api.docs`): Swagger UI
would need a CDN or a bundled copy, and its page fails the accessibility audit.
django-ninja would have needed pydantic schemas beside the existing QuerySets and
its own throttling and token code.

Every endpoint answers GET only and reads through the same QuerySets, predicates
and blind views as the pages (`api.queries`): a reviewer gets `BlindSubmission`s,
a chair never sees a submission they are conflicted with, an author their own
submissions. A token's scope narrows what its owner may see (`api.models.ApiToken`).
"""
