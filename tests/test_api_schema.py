"""schemathesis against the API's own OpenAPI schema: for every operation, valid and invalid
inputs (fixed seed, fixed budget) give no server error and no answer that breaks the schema
(issue 13, point 7). Errors are JSON with a Chinese message."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 12  # per generation mode; the whole run stays around a minute
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def schema(government, dept_a):
    """The schema served by the WSGI application itself. As Django's test client does, the
    connection-closing signal handlers are off meanwhile (the test runs in a transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from config.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _exercise(operation, mode) -> None:
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,  # the seed is fixed: the same cases every run
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call()
        case.validate_response(response, checks=CHECKS)

    run()


def test_api_answers_every_input_within_its_schema(schema):
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 10
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _exercise(operation, mode)
            except (Exception, BaseExceptionGroup) as exc:  # collect them all, then report
                failures.append(f"{operation.label} [{mode.value}]: {str(exc)[:600]}")
    assert failures == [], "\n\n".join(failures)


def test_api_errors_are_json_in_chinese(client):
    for url, status in (
        ("/api/catalog/records/?year=abc", 422),
        ("/api/catalog/records/?gov=%00", 400),
        ("/api/no-such-endpoint/", 404),
    ):
        response = client.get(url)
        assert response.status_code == status, url
        assert response["Content-Type"].startswith("application/json"), url
        detail = response.json()["detail"]
        assert isinstance(detail, str) and any("\u4e00" <= ch <= "\u9fff" for ch in detail), url


def test_api_docs_load_swagger_from_this_site(client, government):
    """The CSP allows scripts and styles from 'self' only: no CDN."""
    page = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "/static/ninja/swagger-ui.css" in page
    assert "cdn" not in page.lower()
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
