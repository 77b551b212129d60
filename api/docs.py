"""The documentation page's content: the OpenAPI schema drf-spectacular writes,
read into endpoints with their parameters and fields (one server-rendered page,
no script, no CDN)."""

from dataclasses import dataclass, field
from typing import Any

from drf_spectacular.generators import SchemaGenerator

REF = "#/components/schemas/"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    description: str = ""
    children: tuple["Field", ...] = ()


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str
    description: str


@dataclass(frozen=True)
class Endpoint:
    path: str
    method: str
    anchor: str
    description: str
    parameters: tuple[Parameter, ...]
    is_list: bool
    fields: tuple[Field, ...] = field(default_factory=tuple)


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    if ref.startswith(REF):
        return _resolve(components[ref[len(REF) :]], components)
    return schema


def _kind(schema: dict[str, Any], components: dict[str, Any]) -> str:
    schema = _resolve(schema, components)
    kind = schema.get("type", "object")
    if kind == "array":
        return f"list of {_kind(schema.get('items', {}), components)}"
    if schema.get("format"):
        kind = f"{kind} ({schema['format']})"
    return f"{kind}, or null" if schema.get("nullable") else kind


def _fields(schema: dict[str, Any], components: dict[str, Any]) -> tuple[Field, ...]:
    schema = _resolve(schema, components)
    if schema.get("type") == "array":
        schema = _resolve(schema.get("items", {}), components)
    found = []
    for name, prop in schema.get("properties", {}).items():
        resolved = _resolve(prop, components)
        nested = resolved if resolved.get("type") != "array" else resolved["items"]
        children = (
            _fields(nested, components)
            if "properties" in _resolve(nested, components)
            else ()
        )
        found.append(
            Field(
                name=name,
                kind=_kind(prop, components),
                description=resolved.get("description", ""),
                children=children,
            )
        )
    return tuple(found)


def endpoints() -> tuple[dict[str, Any], list[Endpoint]]:
    """(the schema's info, every endpoint in path order)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for path, operations in sorted(schema["paths"].items()):
        for method, operation in operations.items():
            body = operation["responses"]["200"]["content"]["application/json"]
            response = _resolve(body["schema"], components)
            is_list = "results" in response.get("properties", {})
            rows = response["properties"]["results"] if is_list else response
            found.append(
                Endpoint(
                    path=path,
                    method=method.upper(),
                    anchor=operation["operationId"],
                    description=operation.get("description", ""),
                    parameters=tuple(
                        Parameter(
                            p["name"],
                            _kind(p.get("schema", {}), components),
                            p.get("description", ""),
                        )
                        for p in operation.get("parameters", [])
                    ),
                    is_list=is_list,
                    fields=_fields(rows, components),
                )
            )
    return schema["info"], found
