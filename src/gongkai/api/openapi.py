"""The OpenAPI 3.1 document of /api/v1, served at /api/openapi.json (written by hand beside the views)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import forms

from gongkai.catalog.forms import ItemForm
from gongkai.catalog.models import Item
from gongkai.catalog.vocabularies import GENRES, TOPICS
from gongkai.review.models import Decision

# The limits the views enforce, written once here so that the document and the behaviour cannot disagree.
MAX_LIMIT = 100
MAX_ID = 999_999_999  # a column or item id given as a number (nine digits)
MAX_PATH_ID = 10**18 - 1  # an id in a path: longer ones are no id at all (404)
YEARS = (1949, 2100)
CODE_PATTERN = "^[0-9A-Za-z-]{1,40}$"
CURSOR_PATTERN = "^([0-9]{1,12}(\\.[0-9]{1,6})?_[0-9]{1,18})?$"  # empty: the first page
# Item fields the API fills in when they are left out (the defaults the workspace form offers).
ITEM_DEFAULTS = {name: field.initial for name, field in ItemForm.base_fields.items() if field.initial is not None}
_ITEM_FIELDS_NOT_IN_API = {"attachments"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str = "成功") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}},
            "headers": {"ETag": {"schema": {"type": "string"}}}}


PROBLEM = {"description": "错误", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
NOT_MODIFIED = {"description": "未变化（If-None-Match / If-Modified-Since）"}
TOO_MANY = {"description": "请求过于频繁", "headers": {"Retry-After": {"schema": {"type": "integer"}}},
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _filters() -> list[dict[str, Any]]:
    return [
        _query("organisation", {"type": "string", "pattern": "^[0-9A-Za-z-]{0,40}$"}, "机构代码（含下级机构；空值表示不限）"),
        _query("column", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "栏目编号"),
        _query("topic", {"type": "string", "enum": ["", *[c for c, _ in TOPICS]]}, "主题分类"),
        _query("genre", {"type": "string", "enum": ["", *[c for c, _ in GENRES]]}, "体裁"),
        _query("year", {"type": "integer", "minimum": YEARS[0], "maximum": YEARS[1]}, "发布年份"),
        _query("validity", {"type": "string", "enum": ["", *Item.Validity.values]}, "有效性"),
    ]


def _read(summary: str, schema: dict[str, Any], params: list[dict[str, Any]] | None = None,
          not_found: bool = False) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": _json(schema), "304": NOT_MODIFIED, "429": TOO_MANY}
    if params:
        responses["400"] = PROBLEM
    if not_found or any(p["name"] == "organisation" for p in params or []):
        responses["404"] = PROBLEM
    return {"get": {"summary": summary, "parameters": params or [], "responses": responses}}


def _write(summary: str, body: dict[str, Any], result: dict[str, Any], path_params: list[dict[str, Any]],
           status: str = "200", conflicts: bool = False) -> dict[str, Any]:
    responses = {status: _json(result), "400": PROBLEM, "401": PROBLEM, "403": PROBLEM, "404": PROBLEM,
                 "413": PROBLEM, "429": TOO_MANY}
    if conflicts:
        responses["409"] = {**PROBLEM, "description": "状态冲突：对象已不在可执行此操作的状态（如已被他人处理、已在审核中）"}
    return {"post": {
        "summary": summary, "security": [{"token": []}, {"session": []}], "parameters": path_params,
        "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
        "responses": responses,
    }}


def _form_field_schema(field: forms.Field) -> dict[str, Any]:
    if isinstance(field, forms.ModelChoiceField):
        return {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    if isinstance(field, forms.BooleanField):
        return {"type": "boolean"}
    if isinstance(field, forms.DateField):
        return {"type": "string", "format": "date"}
    if isinstance(field, forms.ChoiceField):
        return {"type": "string", "enum": [str(value) for value, _label in field.choices]}  # type: ignore[misc,union-attr]
    schema: dict[str, Any] = {"type": "string"}
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length  # type: ignore[attr-defined]
    return schema


def item_create_schema() -> dict[str, Any]:
    """The body of 起草: the workspace's item form, field by field (a required field without a default is
    required here too; one with a default may be left out)."""
    properties: dict[str, Any] = {"organisation": {"type": "string", "pattern": CODE_PATTERN}}
    required = ["organisation"]
    for name, field in ItemForm.base_fields.items():
        if name in _ITEM_FIELDS_NOT_IN_API:
            continue
        properties[name] = _form_field_schema(field)
        if name in ITEM_DEFAULTS:
            properties[name]["default"] = ITEM_DEFAULTS[name]
        elif field.required:
            required.append(name)
    return {"type": "object", "required": required, "properties": properties}


CODE_PARAM = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}, "description": "机构代码"}
ID_PARAM = {"name": "pk", "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PATH_ID}}
NULLABLE_STR = {"type": ["string", "null"]}
YEAR_PARAM = {"name": "year", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 2008, "maximum": 2100},
              "description": "报告年度"}


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    item_summary = {
        "type": "object",
        "required": ["id", "url", "title", "organisation", "column", "published_at"],
        "properties": {
            "id": {"type": "integer"}, "url": {"type": "string"}, "title": {"type": "string"},
            "index_number": NULLABLE_STR, "document_number": {"type": "string"},
            "organisation": {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}},
            "column": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
            "topic": {"type": "string"}, "topic_label": {"type": "string"}, "genre": {"type": "string"},
            "genre_label": {"type": "string"}, "validity": {"type": "string"}, "is_policy": {"type": "boolean"},
            "is_normative": {"type": "boolean"}, "written_on": {"type": ["string", "null"], "format": "date"},
            "published_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
        },
    }
    item_state = {"type": "object", "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"}, "is_live": {"type": "boolean"},
        "submission": {"type": ["object", "null"]}, "current_task": {"type": ["object", "null"]},
    }}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "gongkai 政府信息公开 API", "version": "1.0.0",
            "description": (
                "公开读取接口（机构、栏目、公开信息、全文检索、年度报告数据）与工作人员写入接口（起草、送审、审核）。"
                "列表以游标分页（next_cursor）；响应带 ETag / Last-Modified，支持 304；每个地址每分钟有请求次数上限。"
            ),
        },
        "servers": [{"url": "/api"}],
        "paths": {
            "/v1/organisations": _read("机构列表", {"type": "object", "properties": {
                "results": {"type": "array", "items": _ref("Organisation")}}}),
            "/v1/organisations/{code}": _read("机构", _ref("Organisation"), [CODE_PARAM], not_found=True),
            "/v1/organisations/{code}/columns": _read("机构的栏目", {"type": "object", "properties": {
                "results": {"type": "array", "items": _ref("Column")}}}, [CODE_PARAM], not_found=True),
            "/v1/items": _read("公开信息（目录浏览）", {"type": "object", "required": ["results", "next_cursor"], "properties": {
                "results": {"type": "array", "items": _ref("ItemSummary")}, "next_cursor": NULLABLE_STR}},
                [*_filters(),
                 _query("cursor", {"type": "string", "pattern": CURSOR_PATTERN}, "上一页返回的 next_cursor"),
                 _query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}, "每页条数（默认 20）")]),
            "/v1/items/{pk}": _read("公开信息", _ref("ItemSummary"), [ID_PARAM], not_found=True),
            "/v1/reports": _read("已发布的政府信息公开工作年度报告", {"type": "object", "required": ["results"], "properties": {
                "results": {"type": "array", "items": _ref("ReportSummary")}}}),
            "/v1/reports/{code}/{year}": _read("年度报告（法定格式的数据）", {"allOf": [_ref("ReportSummary"), {
                "type": "object", "required": ["document"], "properties": {"document": {"type": "object"}}}]},
                [CODE_PARAM, YEAR_PARAM], not_found=True),
            "/v1/search": _read("全文检索", _ref("SearchResults"), [
                _query("q", {"type": "string"}, "检索词；引号内为精确短语；可直接输入文号"), *_filters(),
                _query("page", {"type": "integer", "minimum": 1, "maximum": 25}, "页码")]),
            "/v1/staff/items": _write("起草公开信息（草稿）", item_create_schema(), item_state, [], status="201"),
            "/v1/staff/items/{pk}/submit": _write("送审", {"type": "object", "properties": {
                "publish_at": {"type": "string", "format": "date-time"}}}, item_state, [ID_PARAM], conflicts=True),
            "/v1/staff/tasks/{pk}/decision": _write("审核决定", {"type": "object", "required": ["action"], "properties": {
                "action": {"type": "string", "enum": list(Decision.Action.values)},
                "checks": {"type": "object", "properties": {f: {"type": "boolean"} for f in Decision.CHECK_FIELDS}},
                "comment": {"type": "string"}, "signoff_reason": {"type": "string"},
                "version": {"type": "integer", "minimum": 0, "description": "任务的 lock_version；已被他人处理则 409"},
                "publish_at": {"type": "string", "format": "date-time", "description": "仅最后一个环节：定时发布"}}},
                _ref("DecisionResult"), [ID_PARAM], conflicts=True),
        },
        "components": {
            "securitySchemes": {
                "token": {"type": "apiKey", "in": "header", "name": "Authorization",
                          "description": "Authorization: Token <key>（gongkai api-token 命令签发）"},
                "session": {"type": "apiKey", "in": "cookie", "name": "sessionid",
                            "description": "工作台登录会话；写操作须带 X-CSRFToken"},
            },
            "schemas": {
                "Problem": {"type": "object", "required": ["status", "title"], "properties": {
                    "status": {"type": "integer"}, "title": {"type": "string"}, "detail": {"type": "string"}}},
                "Organisation": {"type": "object", "required": ["code", "name"], "properties": {
                    "code": {"type": "string"}, "name": {"type": "string"}, "short_name": {"type": "string"},
                    "kind": {"type": "string"}, "parent": NULLABLE_STR, "url": {"type": "string"}}},
                "Column": {"type": "object", "required": ["id", "name"], "properties": {
                    "id": {"type": "integer"}, "name": {"type": "string"}, "slug": {"type": "string"},
                    "parent_id": {"type": ["integer", "null"]}, "update_class": {"type": "string"},
                    "url": {"type": "string"}}},
                "ItemSummary": item_summary,
                "ReportSummary": {"type": "object", "required": ["organisation", "year", "url", "data"], "properties": {
                    "organisation": {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}},
                    "year": {"type": "integer"}, "edition": {"type": "string"},
                    "published_at": {"type": ["string", "null"], "format": "date-time"},
                    "url": {"type": "string"}, "data": {"type": "string"}}},
                "DecisionResult": {"type": "object", "required": ["decision", "object", "item"], "properties": {
                    "decision": {"type": "object", "required": ["id", "action"], "properties": {
                        "id": {"type": "integer"}, "action": {"type": "string"}}},
                    "object": {"type": "object", "required": ["type", "id", "title", "submission"], "properties": {
                        "type": {"type": "string", "description": "审核对象的类型，如 catalog.item"},
                        "id": {"type": "integer"}, "title": {"type": "string"},
                        "submission": {"type": "object"}, "current_task": {"type": ["object", "null"]}}},
                    "item": {"anyOf": [item_state, {"type": "null"}],
                             "description": "审核对象为公开信息时的状态，否则为 null"}}},
                "SearchResults": {"type": "object", "required": ["results", "page", "has_next"], "properties": {
                    "query": {"type": "string"}, "page": {"type": "integer"}, "has_next": {"type": "boolean"},
                    "total": {"type": "integer"}, "total_is_lower_bound": {"type": "boolean"},
                    "notices": {"type": "array", "items": {"type": "string"}},
                    "results": {"type": "array", "items": {"type": "object"}},
                    "facets": {"type": "object"}}},
            },
        },
    }
