"""The OpenAPI schema's shared parts: every operation documents the errors the server can answer (issue 19).

400 (bad input: field → messages, or `detail`), 401/403 (not signed in / not allowed), 404 (outside one's scope or
missing), 409 on writes (changed by someone else since it was read); each with the one error body DRF writes.
An operation that declares a code itself (with its own description) keeps it.
"""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent

from wenming.core.api import MAX_ID

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "错误：`detail` 为说明（文字或文字列表）；输入有误时按字段给出说明列表（字段名 → 说明）。",
    "properties": {"detail": {"description": "错误说明"}},
    "additionalProperties": {},
}
ERRORS = {
    "400": "输入有误（按字段说明原因）",
    "401": "未登录或令牌无效",
    "403": "无权进行此操作",
    "404": "不存在或不在本人可见范围内",
}
WRITE_ERRORS = {"409": "记录已被他人修改（请重新读取后再提交）"}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        component = ResolvedComponent(name=ERROR_COMPONENT, type=ResolvedComponent.SCHEMA, object=ERROR_COMPONENT,
                                      schema=ERROR_SCHEMA)
        self.registry.register_on_missing(component)
        errors = {**ERRORS, **(WRITE_ERRORS if self.method in ("POST", "PUT", "PATCH", "DELETE") else {})}
        for code, description in errors.items():
            declared = responses.get(code)
            if declared is None:
                responses[code] = {"description": description,
                                   "content": {"application/json": {"schema": component.ref}}}
            elif "content" not in declared:
                declared["content"] = {"application/json": {"schema": component.ref}}
        return responses


class DecimalTextExtension(OpenApiSerializerFieldExtension):
    target_class = "wenming.core.api.DecimalText"

    def map_serializer_field(self, auto_schema, direction):
        schema = {"type": "string", "format": "decimal", "pattern": self.target.schema_pattern()}
        if self.target.allow_null:
            schema["nullable"] = True
        return schema


WEB_ADDRESS = "^https?://[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,6}(/[a-zA-Z0-9/._-]*)?$"
NO_CONTROL_CHARACTERS = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"


def no_control_characters(result, generator, request, public):
    """Postprocessing hook: every text a client may send is declared free of control characters, as the server
    enforces (wenming.core.text). Strings with a format, an enum or a pattern of their own are left as they are."""

    def walk(schema):
        if isinstance(schema, dict):
            if schema.get("type") == "string" and schema.get("format") == "uri" and not schema.get("readOnly"):
                schema.setdefault("pattern", WEB_ADDRESS)  # Django's URLField takes web addresses only
            if (schema.get("type") == "string" and not schema.get("readOnly") and "format" not in schema
                    and "enum" not in schema and "pattern" not in schema):
                schema["pattern"] = NO_CONTROL_CHARACTERS
            for value in schema.values():
                walk(value)
        elif isinstance(schema, list):
            for value in schema:
                walk(value)

    for component in result.get("components", {}).get("schemas", {}).values():
        walk(component)
    one_of_required(result, "OrderCreateRequest", ("task", "rectification"))
    changes_carry_their_version(result)
    bodies_as_sent(result)
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                schema = parameter.get("schema", {})
                walk(schema)
                # A number in a query or path names a row, a page or a year: 1 and up, within the database's range
                # (the server answers 400 below that, see wenming.core.api.parse_id).
                if schema.get("type") == "integer":
                    schema.setdefault("minimum", 1)
                    schema.setdefault("maximum", MAX_ID)
    return result


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _is_file(schema: dict) -> bool:
    return schema.get("format") == "binary" or (schema.get("items") or {}).get("format") == "binary"


def _non_empty_file(schema: dict) -> dict:
    if schema.get("format") == "binary":
        return {**schema, "minLength": 1}
    return {**schema, "items": {**schema["items"], "minLength": 1}}


def _without_null(schema: dict) -> dict:
    schema = {key: value for key, value in schema.items() if key != "nullable"}
    for key in ("oneOf", "anyOf", "allOf"):
        if key in schema:
            schema[key] = [_without_null(branch) for branch in schema[key]]
    return schema


def bodies_as_sent(result) -> None:
    """Each request body as its media type can carry it: a form has no null (a field left out is the null), a file
    travels only in multipart, and JSON carries no file. A body whose file is required is multipart only (the server
    refuses it otherwise). Request components are copied per media type where they differ (`…Form`, `…Json`)."""
    components = result.get("components", {}).get("schemas", {})
    variants = {}

    def variant(name: str, media: str) -> str | None:
        source = components[name]
        properties = source.get("properties") or {}
        files = {key for key, value in properties.items() if _is_file(value)}
        if media == "application/json" or media == "application/x-www-form-urlencoded":
            if files & set(source.get("required") or []):
                return None
        changed = dict(source)
        if files and media == "multipart/form-data":  # an empty part is no file at all (Django drops it)
            changed["properties"] = {key: _non_empty_file(value) if key in files else value
                                     for key, value in properties.items()}
            properties = changed["properties"]
        if media in FORM_TYPES:
            changed["properties"] = {key: _without_null(value) for key, value in properties.items()}
        if media != "multipart/form-data" and files:
            changed["properties"] = {key: value for key, value in changed.get("properties", properties).items()
                                     if key not in files}
        if changed == source:
            return name
        suffix = "Json" if media == "application/json" else "Form"
        copy_name = f"{name}{suffix}"
        variants.setdefault(copy_name, changed)
        return copy_name

    for path in result.get("paths", {}).values():
        for operation in path.values():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if not body:
                continue
            content = body.get("content", {})
            for media in list(content):
                ref = content[media].get("schema", {}).get("$ref", "")
                name = ref.rsplit("/", 1)[-1]
                if name not in components:
                    continue
                chosen = variant(name, media)
                if chosen is None:
                    del content[media]
                else:
                    content[media]["schema"] = {"$ref": f"#/components/schemas/{chosen}"}
    components.update(variants)


def one_of_required(result, component: str, fields: tuple[str, ...]) -> None:
    """A body that names exactly one of `fields` (a supervision order is about a task or a rectification)."""
    schema = result.get("components", {}).get("schemas", {}).get(component)
    if schema is not None:
        schema["oneOf"] = [{"required": [name]} for name in fields]


def changes_carry_their_version(result) -> None:
    """A PUT or PATCH to a record requires its `version` (wenming.core.api.required_version), though the same
    serializer creates records without one: each change's body gets a copy (`…Change`) that requires it."""
    components = result.get("components", {}).get("schemas", {})
    copies = {}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in ("put", "patch") or not isinstance(operation, dict):
                continue
            for media in operation.get("requestBody", {}).get("content", {}).values():
                name = media.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
                source = components.get(name)
                if source is None or "version" not in source.get("properties", {}) \
                        or "version" in source.get("required", []):
                    continue
                copy_name = f"{name}Change"
                copies.setdefault(copy_name, {**source, "required": [*source.get("required", []), "version"]})
                media["schema"] = {"$ref": f"#/components/schemas/{copy_name}"}
    components.update(copies)
