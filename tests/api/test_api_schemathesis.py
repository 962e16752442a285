"""Property tests generated from the OpenAPI document: no input makes the API answer 5xx, and every answer
matches its documented status codes and content types. Bounded (few examples per operation) for CI."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from gongkai.api.openapi import document
from gongkai.wsgi import application

schema = schemathesis.openapi.from_dict(document())
schema.app = application  # type: ignore[attr-defined]


@pytest.fixture
def _site(api_site):
    """As Django's test client does: keep the test's database connection (and its transaction) open across
    the WSGI calls, instead of closing it at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield api_site
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=12, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors(case, _site):
    response = case.call(app=application, base_url="http://testserver/api")
    assert response.status_code < 500, (case.path, case.query, case.body, response.text[:500])
    if case.path == "/v1/organisations" and case.method == "GET" and not case.query:
        assert response.status_code == 200, (case.method, case.path, case.headers, response.text[:300])  # calls reach the app
    case.validate_response(response)
