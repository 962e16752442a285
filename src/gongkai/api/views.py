"""The open API, version 1: plain Django views that parse input, call one selector or service, answer JSON.

Public reads are the portal's reads (nothing unpublished leaves catalog.selectors.live_items()); staff writes
go through the same services as the workspace, so the same roles and checks apply.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from gongkai.catalog import selectors as cat
from gongkai.catalog import services as catalog_services
from gongkai.catalog.forms import ItemForm
from gongkai.catalog.models import Column, Item
from gongkai.catalog.vocabularies import GENRE_LABELS, TOPIC_LABELS
from gongkai.core.concurrency import ConflictError
from gongkai.orgs import selectors as org_sel
from gongkai.orgs.models import Organisation
from gongkai.reports import selectors as report_sel
from gongkai.reports.document import dumps_report
from gongkai.reports.models import AnnualReport
from gongkai.review import selectors as review_sel
from gongkai.review import services as review_services
from gongkai.review.models import Decision, Submission
from gongkai.search import selectors as search_sel

from .http import json_response, problem, rate_limited, read_json, staff_endpoint
from .openapi import CODE_PATTERN, CURSOR_PATTERN, ITEM_DEFAULTS, MAX_ID, MAX_LIMIT, YEARS, document

_CURSOR = re.compile(CURSOR_PATTERN)
_CODE = re.compile(CODE_PATTERN)


class BadInput(Exception):
    def __init__(self, field: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.field, self.message, self.status = field, message, status


def _pk(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) <= 18 else None


def _int(params: Any, name: str, default: int | None, lo: int, hi: int) -> int | None:
    raw = params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9) or not lo <= int(raw) <= hi:
        raise BadInput(name, f"{name} 应为 {lo}～{hi} 之间的整数。")
    return int(raw)


def _choice(params: Any, name: str, allowed: Any) -> str:
    raw = params.get(name, "")
    if raw and raw not in allowed:
        raise BadInput(name, f"{name} 的取值无效。")
    return str(raw)


def _organisation(params: Any) -> Organisation | None:
    code = params.get("organisation", "")
    if not code:
        return None
    org = org_sel.organisation_by_code(code) if _CODE.match(code) else None
    if org is None:
        raise BadInput("organisation", "未找到该机构代码。", status=404)
    return org


def _bad(exc: BadInput) -> HttpResponse:
    if exc.status == 404:
        return problem(404, "未找到", detail=exc.message, field=exc.field)
    return problem(400, "参数无效", detail=exc.message, field=exc.field)


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Anything else under /api/: a JSON 404, like every other API answer."""
    return problem(404, "没有这个接口", detail="接口列表见 /api/openapi.json。")


# ---- serialisation ------------------------------------------------------------------------------------

def org_json(org: Organisation) -> dict[str, Any]:
    return {
        "code": org.code, "name": org.name, "short_name": org.short_name, "kind": org.kind,
        "parent": org.parent.code if org.parent_id and org.parent else None, "url": org.get_absolute_url(),
    }


def column_json(column: Column) -> dict[str, Any]:
    return {"id": column.pk, "name": column.name, "slug": column.slug, "parent_id": column.parent_id,
            "update_class": column.update_class, "url": column.get_absolute_url()}


def item_json(item: Item, *, detail: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.pk, "url": item.get_absolute_url(), "title": item.title,
        "index_number": item.index_number, "document_number": item.document_number,
        "organisation": {"code": item.organisation.code, "name": item.organisation.name},
        "column": {"id": item.column_id, "name": item.column.name},
        "topic": item.topic, "topic_label": TOPIC_LABELS.get(item.topic, ""),
        "genre": item.genre, "genre_label": GENRE_LABELS.get(item.genre, ""),
        "validity": item.validity, "is_policy": item.is_policy, "is_normative": item.is_normative,
        "written_on": item.written_on, "published_at": item.published_at, "updated_at": item.updated_at,
    }
    if detail:
        data |= {
            "summary": item.summary, "body_html": item.body, "keywords": item.keywords, "source": item.source,
            "effective_on": item.effective_on, "expires_on": item.expires_on, "abolished_on": item.abolished_on,
            "interprets": item.interprets_id,
            "attachments": [
                {"name": a.original_name, "url": a.get_absolute_url(), "size": a.size, "mime_type": a.mime_type}
                for a in cat.public_attachments(item)
            ],
        }
    return data


# ---- public reads ---------------------------------------------------------------------------------------

@require_safe
def openapi(request: HttpRequest) -> HttpResponse:
    return JsonResponse(document(), json_dumps_params={"ensure_ascii": False})


@csrf_exempt  # reads change nothing; any other method gets 405 from require_safe, not a CSRF 403
@require_safe
@rate_limited
def organisations(request: HttpRequest) -> HttpResponse:
    orgs = list(org_sel.organisations_in_order().select_related("parent"))
    return json_response(request, {"results": [org_json(o) for o in orgs]})


@csrf_exempt  # reads change nothing; any other method gets 405 from require_safe, not a CSRF 403
@require_safe
@rate_limited
def organisation(request: HttpRequest, code: str) -> HttpResponse:
    org = org_sel.organisation_by_code(code) if _CODE.match(code) else None
    if org is None:
        return problem(404, "未找到该机构")
    return json_response(request, org_json(org))


@csrf_exempt  # reads change nothing; any other method gets 405 from require_safe, not a CSRF 403
@require_safe
@rate_limited
def columns(request: HttpRequest, code: str) -> HttpResponse:
    org = org_sel.organisation_by_code(code) if _CODE.match(code) else None
    if org is None:
        return problem(404, "未找到该机构")
    return json_response(request, {"results": [column_json(c) for c in cat.columns_of(org)]})


@csrf_exempt  # reads change nothing; any other method gets 405 from require_safe, not a CSRF 403
@require_safe
@rate_limited
def items(request: HttpRequest) -> HttpResponse:
    params = request.GET
    try:
        org = _organisation(params)
        filters = cat.CatalogFilters(
            organisation=org, topic=_choice(params, "topic", TOPIC_LABELS),
            genre=_choice(params, "genre", GENRE_LABELS), year=_int(params, "year", None, *YEARS),
            validity=_choice(params, "validity", Item.Validity.values),
        )
        column_id = _int(params, "column", None, 1, MAX_ID)
        limit = _int(params, "limit", 20, 1, MAX_LIMIT) or 20
    except BadInput as exc:
        return _bad(exc)
    cursor = params.get("cursor") or None
    if cursor is not None and not _CURSOR.match(cursor):
        return problem(400, "参数无效", detail="cursor 无效：请使用上一页返回的 next_cursor。", field="cursor")
    qs = cat.browse(filters)
    if column_id is not None:
        qs = qs.filter(column_id=column_id)
    try:
        page = cat.page_of(qs, cursor=cursor, size=limit)
    except (OverflowError, ValueError):
        return problem(400, "参数无效", detail="cursor 超出范围。", field="cursor")
    last = max((i.updated_at for i in page.items), default=None)
    return json_response(request, {
        "results": [item_json(i) for i in page.items], "next_cursor": page.next_cursor,
    }, last_modified=last)


@csrf_exempt  # reads change nothing; any other method gets 405 from require_safe, not a CSRF 403
@require_safe
@rate_limited
def item(request: HttpRequest, pk: str) -> HttpResponse:
    number = _pk(pk)
    found = cat.live_item(number) if number is not None else None
    if found is None:
        return problem(404, "未找到该信息")
    return json_response(request, item_json(found, detail=True), last_modified=found.updated_at)


def report_json(report: AnnualReport) -> dict[str, Any]:
    code = report.organisation.code
    return {
        "organisation": {"code": code, "name": report.organisation.name}, "year": report.year,
        "edition": report.edition, "published_at": report.published_at,
        "url": reverse("portal_reports:report", args=[code, report.year]),
        "data": reverse("api:report", args=[code, report.year]),
    }


@csrf_exempt  # reads change nothing; any other method gets 405 from require_safe, not a CSRF 403
@require_safe
@rate_limited
def reports(request: HttpRequest) -> HttpResponse:
    """Published annual reports (政府信息公开工作年度报告), for machines; people read them on /reports/."""
    rows = list(report_sel.published_reports())
    last = max((r.published_at for r in rows if r.published_at), default=None)
    return json_response(request, {"results": [report_json(r) for r in rows]}, last_modified=last)


@csrf_exempt  # reads change nothing; any other method gets 405 from require_safe, not a CSRF 403
@require_safe
@rate_limited
def report(request: HttpRequest, code: str, year: str) -> HttpResponse:
    """One published report in its statutory JSON form (the format's sections, tables and figures)."""
    found = (report_sel.published_report(code, int(year))
             if _CODE.match(code) and year.isascii() and year.isdigit() and len(year) == 4 else None)
    if found is None:
        return problem(404, "未找到该年度报告")
    body = {**report_json(found), "document": json.loads(dumps_report(report_sel.document_of(found)))}
    return json_response(request, body, last_modified=found.published_at)


@csrf_exempt  # reads change nothing; any other method gets 405 from require_safe, not a CSRF 403
@require_safe
@rate_limited
def search(request: HttpRequest) -> HttpResponse:
    params = request.GET
    try:
        org = _organisation(params)
        filters = search_sel.Filters(
            organisation_path=org.path if org else "", topic=_choice(params, "topic", TOPIC_LABELS),
            genre=_choice(params, "genre", GENRE_LABELS), year=_int(params, "year", None, *YEARS),
            validity=_choice(params, "validity", Item.Validity.values),
            column_ids=tuple(c for c in [_int(params, "column", None, 1, MAX_ID)] if c),
        )
        page = _int(params, "page", 1, 1, search_sel.MAX_PAGE) or 1
    except BadInput as exc:
        return _bad(exc)
    results = search_sel.search(params.get("q", ""), filters, page=page)
    return json_response(request, {
        "query": results.query.text, "page": results.page, "has_next": results.has_next,
        "total": results.total, "total_is_lower_bound": results.total_is_lower_bound,
        "notices": results.notices,
        "results": [{
            "id": h.object_id, "kind": h.kind, "url": h.url, "title": h.title, "title_html": str(h.title_html),
            "snippet_html": str(h.snippet_html), "organisation": h.organisation_name,
            "document_number": h.document_number, "published_at": h.published_at, "topic": h.topic,
            "genre": h.genre, "validity": h.validity,
        } for h in results.hits],
        "facets": {k: [{"value": v, "count": n} for v, n in pairs] for k, pairs in results.facets.items()},
    })


# ---- staff writes ---------------------------------------------------------------------------------------

def _refusal(exc: Exception) -> HttpResponse:
    if isinstance(exc, PermissionDenied):
        return problem(403, "没有权限", detail=str(exc) or "您的岗位不能执行此操作。")
    assert isinstance(exc, ValidationError)
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    if isinstance(exc, ConflictError):
        return problem(409, "状态冲突", detail="；".join(exc.messages), errors=errors)
    return problem(400, "校验未通过", errors=errors)


def _publish_at(data: dict[str, Any]) -> tuple[dt.datetime | None, HttpResponse | None]:
    """The optional `publish_at` of a request body: an aware ISO 8601 time, or the problem to answer."""
    if not data.get("publish_at"):
        return None, None
    try:
        publish_at = dt.datetime.fromisoformat(str(data["publish_at"]))
    except ValueError:
        return None, problem(400, "参数无效", detail="publish_at 应为 ISO 8601 时间。", field="publish_at")
    if publish_at.tzinfo is None:
        return None, problem(400, "参数无效", detail="publish_at 须带时区。", field="publish_at")
    return publish_at, None


def _submission_json(submission: Submission | None) -> dict[str, Any] | None:
    return None if submission is None else {"id": submission.pk, "status": submission.status}


def _task_json(submission: Submission | None) -> dict[str, Any] | None:
    task = review_sel.current_task(submission) if submission is not None else None
    return None if task is None else {"id": task.pk, "name": task.name, "role": task.role}


def _state(item: Item) -> dict[str, Any]:
    submission = review_sel.review_state(item).submission
    return {
        "id": item.pk, "title": item.title, "is_live": item.is_live,
        "submission": _submission_json(submission), "current_task": _task_json(submission),
    }


def _reviewed_json(submission: Submission) -> dict[str, Any]:
    """What a decision was about: the submission's own object (an item, a duty-list version, a mailbox reply),
    named by its type; never another object that happens to share its id."""
    return {
        "type": submission.content_type.app_label + "." + submission.content_type.model,
        "id": submission.object_id, "title": submission.title,
        "submission": _submission_json(submission), "current_task": _task_json(submission),
    }


@require_http_methods(["POST"])
@rate_limited
@staff_endpoint
def create_item(request: HttpRequest, user: Any) -> HttpResponse:
    data, refusal = read_json(request)
    if refusal is not None:
        return refusal
    assert data is not None
    code = str(data.pop("organisation", ""))
    org = org_sel.organisation_by_code(code) if _CODE.match(code) else None
    if org is None:
        return problem(400, "参数无效", detail="organisation 应为机构代码。", field="organisation")
    if "column_id" in data and "column" not in data:
        data["column"] = data.pop("column_id")
    data = {**ITEM_DEFAULTS, **data}
    form = ItemForm({k: ("on" if v is True else "" if v is False else v) for k, v in data.items()
                     if isinstance(v, str | int | bool)}, organisation=org)
    if not form.is_valid():
        return problem(400, "校验未通过", errors={k: [str(m) for m in v] for k, v in form.errors.items()})
    try:
        created = catalog_services.create_item(user, org, form.service_data())
    except (PermissionDenied, ValidationError) as exc:
        return _refusal(exc)
    return json_response(request, _state(created), status=201)


@require_http_methods(["POST"])
@rate_limited
@staff_endpoint
def submit_item(request: HttpRequest, user: Any, pk: str) -> HttpResponse:
    data, refusal = read_json(request)
    if refusal is not None:
        return refusal
    assert data is not None
    number = _pk(pk)
    target = cat.staff_items(user).filter(pk=number).first() if number is not None else None
    if target is None:
        return problem(404, "未找到该信息，或您无权查看")
    publish_at, refusal = _publish_at(data)
    if refusal is not None:
        return refusal
    try:
        catalog_services.submit_item(user, target, publish_at=publish_at)
    except (PermissionDenied, ValidationError) as exc:
        return _refusal(exc)
    target.refresh_from_db()
    return json_response(request, _state(target))


@require_http_methods(["POST"])
@rate_limited
@staff_endpoint
def decide(request: HttpRequest, user: Any, pk: str) -> HttpResponse:
    data, refusal = read_json(request)
    if refusal is not None:
        return refusal
    assert data is not None
    task = review_sel.task_for(user, _pk(pk))
    if task is None:  # another office's task answers exactly like a missing one
        return problem(404, "未找到该审核任务")
    checks = data.get("checks") or {}
    if not isinstance(checks, dict):
        return problem(400, "参数无效", detail="checks 应为对象。", field="checks")
    version = data.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool) or version < 0):
        return problem(400, "参数无效", detail="version 应为该任务的 lock_version（非负整数）。", field="version")
    publish_at, refusal = _publish_at(data)
    if refusal is not None:
        return refusal
    try:
        decision = review_services.decide(
            user, task, action=str(data.get("action", "")),
            checks={f: checks.get(f) is True for f in Decision.CHECK_FIELDS},
            comment=str(data.get("comment", "")), signoff_reason=str(data.get("signoff_reason", "")),
            publish_at=publish_at, expected_version=version,
        )
    except (PermissionDenied, ValidationError) as exc:
        return _refusal(exc)
    submission = review_sel.submission_of(decision)
    reviewed = submission.content_object
    return json_response(request, {
        "decision": {"id": decision.pk, "action": decision.action},
        "object": _reviewed_json(submission),
        "item": _state(reviewed) if isinstance(reviewed, Item) else None,
    })


