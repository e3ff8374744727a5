"""Error mapping. Where a test server cannot provoke an error, the Cosmos SDK's calls are replaced
by ones raising real azure.cosmos exceptions (throttling, a bad continuation token, a bug)."""

import json
import logging
import os
import ssl
import urllib.request

import pytest
from azure.cosmos import ContainerProxy
from azure.cosmos.exceptions import CosmosHttpResponseError
from support import call, tenants, valid_request

COSMOS_CALLS = ("create_item", "read_item", "replace_item", "delete_item", "query_items")


def fail_every_cosmos_call(monkeypatch, make_error):
    def failing(*args, **kwargs):
        raise make_error()

    for name in COSMOS_CALLS:
        monkeypatch.setattr(ContainerProxy, name, failing)


def throttled(retry_after_ms=None):
    error = CosmosHttpResponseError(status_code=429, message="Request rate is large")
    if retry_after_ms is not None:
        error.headers = {"x-ms-retry-after-ms": retry_after_ms}
    return error


@pytest.mark.parametrize(
    "retry_after_ms,seconds", [(None, "1"), ("2500", "3"), ("20", "1"), ("junk", "1")]
)
def test_throttling_is_503_with_retry_after(entity, monkeypatch, retry_after_ms, seconds):
    fail_every_cosmos_call(monkeypatch, lambda: throttled(retry_after_ms))
    for operation in entity["operations"]:
        response = valid_request(entity, operation)
        assert response.status == 503, (operation, response)
        assert response.error()["code"] == "throttled"
        assert response.headers.get("Retry-After") == seconds, operation


def server_fault(fault):
    """Ask baas's test server (the Node project's `npm run cosmos-server`) to answer every
    document request with `fault` (None: stop). False when it cannot (e.g. the emulator)."""
    account = dict(part.split("=", 1) for part in os.environ["COSMOS"].split(";") if "=" in part)
    request = urllib.request.Request(
        account["AccountEndpoint"].rstrip("/") + "/_baas/faults",
        data=json.dumps(fault).encode() if fault else None,
        method="POST" if fault else "DELETE",
    )
    context = ssl.create_default_context(cafile=os.environ.get("REQUESTS_CA_BUNDLE"))
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            return response.status == 200 and "fault" in json.load(response)
    except (OSError, ValueError):  # refused, TLS, HTTP error or not JSON: no fault injection here
        return False


def test_throttling_answered_by_cosmos_is_503_with_retry_after(entity):
    # The SDK retries a 429 nine times (waiting x-ms-retry-after-ms, 10 ms here) before it raises.
    if not server_fault({"status": 429, "retryAfterMs": 10}):
        pytest.skip(
            "this Cosmos DB cannot answer 429 on demand (test_throttling_is_503_... covers it)"
        )
    try:
        for operation in entity["operations"]:
            response = valid_request(entity, operation)
            assert response.status == 503, (operation, response)
            assert response.error()["code"] == "throttled"
            assert response.headers.get("Retry-After") == "1", operation
    finally:
        server_fault(None)


def test_an_unexpected_error_is_500_internal_without_details(entity, monkeypatch, caplog):
    fail_every_cosmos_call(monkeypatch, lambda: RuntimeError("secret-detail-42"))
    for operation, function_name in entity["operations"].items():
        caplog.clear()
        with caplog.at_level(logging.ERROR):
            response = valid_request(entity, operation)
        assert response.status == 500, (operation, response)
        assert response.error() == {"code": "internal", "message": "internal error"}
        assert b"secret-detail-42" not in response.body
        # ...but the exception is logged, with the function's name and the traceback.
        assert any(
            function_name in record.getMessage()
            and record.exc_info
            and "secret-detail-42" in str(record.exc_info[1])
            for record in caplog.records
        ), operation


def test_an_unexpected_cosmos_error_is_500_internal(entity, monkeypatch):
    fail_every_cosmos_call(
        monkeypatch, lambda: CosmosHttpResponseError(status_code=403, message="secret-403")
    )
    for operation in entity["operations"]:
        response = valid_request(entity, operation)
        assert response.status == 500 and response.error()["code"] == "internal", (
            operation,
            response,
        )
        assert b"secret-403" not in response.body


@pytest.mark.needs("list")
def test_a_continuation_token_cosmos_refuses_is_400_invalid_query(entity, monkeypatch):
    # cosmosdb-server ignores a malformed token; Azure Cosmos DB answers 400, as simulated here.
    fail_every_cosmos_call(
        monkeypatch, lambda: CosmosHttpResponseError(status_code=400, message="bad token")
    )
    response = call(entity, "list", params={"continuationToken": "not-a-token"})
    assert response.status == 400 and response.error()["code"] == "invalid_query", response


def test_missing_app_settings_are_500_internal(entity, monkeypatch):
    names = entity.get("settings") or entity["tenants"][tenants(entity)[0]]
    monkeypatch.delenv(names["database"])
    for operation in entity["operations"]:
        response = valid_request(entity, operation)
        assert response.status == 500 and response.error()["code"] == "internal", (
            operation,
            response,
        )


def test_preferred_regions_are_read_nearest_first_and_unset_means_none():
    from baas.crud import preferred_regions

    assert preferred_regions({"COSMOS_PREFERRED_REGIONS": "West Europe,East US"}) == [
        "West Europe",
        "East US",
    ]
    assert preferred_regions({"COSMOS_PREFERRED_REGIONS": " East US , ,West US 2"}) == [
        "East US",
        "West US 2",
    ]
    assert preferred_regions({"COSMOS_PREFERRED_REGIONS": ""}) is None
    assert preferred_regions({}) is None
