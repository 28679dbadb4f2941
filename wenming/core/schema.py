"""The OpenAPI schema's shared parts: every operation documents the errors the server can answer (issue 19).

400 (bad input: field → messages, or `detail`), 401/403 (not signed in / not allowed), 404 (outside one's scope or
missing), 409 on writes (changed by someone else since it was read); each with the one error body DRF writes.
An operation that declares a code itself (with its own description) keeps it.
"""

from drf_spectacular import openapi
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


NO_CONTROL_CHARACTERS = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"


def no_control_characters(result, generator, request, public):
    """Postprocessing hook: every text a client may send is declared free of control characters, as the server
    enforces (wenming.core.text). Strings with a format, an enum or a pattern of their own are left as they are."""

    def walk(schema):
        if isinstance(schema, dict):
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
