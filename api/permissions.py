from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadOnly(BasePermission):
    """GET, HEAD and OPTIONS only: the API never writes. What a request sees is
    decided by the QuerySets of `api.queries`, not here."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in SAFE_METHODS
