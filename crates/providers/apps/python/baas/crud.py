"""The CRUD handlers shared by every generated entity.

Each entity of baas/api.json gets one Azure Function per declared operation; all of them run the
code below, parameterised by the entity's table entry (fields, partition key, settings/tenants).
The HTTP contract (status codes, error JSON) is the same as the Node app's.
"""

import json
import logging
import math
import os
import re
import threading
import uuid
from datetime import datetime

import azure.functions as func
from azure.cosmos import CosmosClient, exceptions
from azure.cosmos.partition_key import NonePartitionKeyValue

log = logging.getLogger("baas")

SYSTEM_PROPERTIES = frozenset({"_rid", "_self", "_etag", "_attachments", "_ts"})
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
OWNER_RESOURCE_MISSING = 1003  # Cosmos 404 sub-status: the database or container does not exist


class ApiError(Exception):
    """An error answered to the client as {"error": {"code", "message", "fields"?}}."""

    def __init__(self, status, code, message, fields=None, headers=None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields, self.headers = fields, headers


# --- Cosmos connection: one client per process, created on first use -------------------------

_client = None
_client_lock = threading.Lock()


def preferred_regions(environ=None):
    """The regions of a geo-replicated account to read and write in, nearest first.

    COSMOS_PREFERRED_REGIONS holds display names, comma-separated ("West Europe,East US"); baas
    sets it in every region's app. Unset or empty: None, and the SDK uses the write region.
    """
    environ = os.environ if environ is None else environ
    regions = [r.strip() for r in environ.get("COSMOS_PREFERRED_REGIONS", "").split(",")]
    regions = [r for r in regions if r]
    return regions or None


def cosmos_client():
    """COSMOS (a connection string) when set, else COSMOS__accountEndpoint + managed identity."""
    global _client
    with _client_lock:
        if _client is None:
            connection_string = os.environ.get("COSMOS")
            endpoint = os.environ.get("COSMOS__accountEndpoint")
            if connection_string:
                _client = CosmosClient.from_connection_string(connection_string)
            elif endpoint:
                # Imported here: azure-identity is only needed in Azure, and slow to import.
                from azure.identity import DefaultAzureCredential

                # COSMOS__clientId selects a user-assigned identity (Functions' convention).
                credential = DefaultAzureCredential(
                    managed_identity_client_id=os.environ.get("COSMOS__clientId")
                )
                regions = preferred_regions()
                options = {"preferred_locations": regions} if regions else {}
                _client = CosmosClient(endpoint, credential=credential, **options)
            else:
                raise RuntimeError("neither COSMOS nor COSMOS__accountEndpoint is set")
        return _client


def _target(entity, req, tenant_header):
    """The (database, container) names for this request: the entity's settings, or its tenant's."""
    names = entity.get("settings")
    if names is None:
        tenant = req.headers.get(tenant_header)
        if not tenant:
            raise ApiError(400, "tenant_required", f"the {tenant_header} header is required")
        names = entity["tenants"].get(tenant)
        if names is None:
            raise ApiError(400, "unknown_tenant", f"unknown tenant {tenant!r}")
    database, container = os.environ.get(names["database"]), os.environ.get(names["container"])
    if not database or not container:
        raise RuntimeError(f"app settings {names['database']} and {names['container']} must be set")
    return database, container


def _container(database, container):
    # Proxies are cheap (no network call); the client caches container metadata itself.
    return cosmos_client().get_database_client(database).get_container_client(container)


# --- Validation --------------------------------------------------------------------------------

# RFC 3339 date-time; the ranges of each part are checked in _is_timestamp.
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.\d+)?(?:[Zz]|[+-](\d\d):(\d\d))", re.ASCII
)


def _is_timestamp(value):
    match = isinstance(value, str) and _TIMESTAMP.fullmatch(value)
    if not match:
        return False
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    offset_hours, offset_minutes = int(match[7] or 0), int(match[8] or 0)
    try:
        datetime(year, month, day, hour, minute, min(second, 59))  # RFC 3339 allows second 60
    except ValueError:
        return False
    return second <= 60 and offset_hours <= 23 and offset_minutes <= 59


def _is_number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False  # bool is an int subclass in Python, but not a JSON number
    try:
        return math.isfinite(value)  # e.g. 1e400 parses as inf
    except OverflowError:  # an int too large for a double
        return False


TYPES = {
    "string": (lambda value: isinstance(value, str), "must be a string"),
    "number": (_is_number, "must be a number"),
    "boolean": (lambda value: isinstance(value, bool), "must be a boolean"),
    "timestamp": (_is_timestamp, "must be an RFC 3339 timestamp, e.g. 2026-12-07T08:00:00Z"),
    "array": (lambda value: isinstance(value, list), "must be an array"),
    "object": (lambda value: isinstance(value, dict), "must be an object"),
}


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")  # json.loads accepts NaN and Infinity by default


def _item_from_body(entity, req, route_id=None):
    """The request body as a validated item; every invalid field is reported at once."""
    try:
        item = json.loads(req.get_body(), parse_constant=_reject_constant)
    except ValueError:  # also covers an empty body and bytes that are not UTF-8
        item = None
    if not isinstance(item, dict):
        raise ApiError(400, "invalid_body", "the body must be a JSON object")

    fields, errors = entity["fields"], {}
    for name, value in item.items():
        if name == "id":
            if not isinstance(value, str) or not value or any(c in value for c in "/\\?#"):
                # Cosmos DB refuses these characters in ids, and a route could not address one.
                errors["id"] = "must be a non-empty string without '/', '\\', '?' or '#'"
            elif route_id is not None and value != route_id:
                errors["id"] = "must equal the id in the URL"
        elif name not in fields:
            errors[name] = f"is not a field of {entity['entity']}"
        else:
            is_valid, requirement = TYPES[fields[name]]
            if not is_valid(value):
                errors[name] = requirement + (" (null is not allowed)" if value is None else "")
    partition_key = entity["partition_key"]
    if partition_key != "id" and partition_key not in item:
        errors[partition_key] = "is required (it is the partition key)"
    if errors:
        raise ApiError(400, "validation_failed", "the item is not valid", fields=errors)
    return item


_JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")


def _partition_key_param(entity, req):
    """The partition-key query parameter converted to its field's type, or None when absent."""
    name = entity["partition_key"]
    raw = req.params.get(name)
    if raw is None:
        return None
    kind = entity["fields"].get(name, "string")
    if kind == "number":
        # JSON number syntax, so "nan", "inf", " 1" or "0x1" are refused.
        if _JSON_NUMBER.fullmatch(raw):
            value = json.loads(raw)
            if _is_number(value):
                return value
        raise ApiError(400, "invalid_query", f"the {name} query parameter must be a number")
    if kind == "boolean":
        if raw in ("true", "false"):
            return raw == "true"
        raise ApiError(400, "invalid_query", f"the {name} query parameter must be true or false")
    return raw


def _limit(req):
    raw = req.params.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if re.fullmatch(r"[0-9]{1,4}", raw) and 1 <= int(raw) <= MAX_LIMIT:
        return int(raw)
    raise ApiError(400, "invalid_query", f"limit must be an integer from 1 to {MAX_LIMIT}")


# --- Cosmos operations -------------------------------------------------------------------------


def _public(item):
    return {key: value for key, value in item.items() if key not in SYSTEM_PROPERTIES}


def _is_missing_item(error):
    # A 404 also comes back when the database or container is missing: that is a server fault.
    return error.status_code == 404 and error.sub_status != OWNER_RESOURCE_MISSING


def _not_found(entity, item_id):
    return ApiError(404, "not_found", f"{entity['entity']} {item_id!r} does not exist")


def _find_by_id(entity, container, item_id):
    """Cross-partition lookup by id, for read/delete without the partition key."""
    matches = list(
        container.query_items(
            "SELECT * FROM c WHERE c.id = @id",
            parameters=[{"name": "@id", "value": item_id}],
            enable_cross_partition_query=True,
        )
    )
    if not matches:
        raise _not_found(entity, item_id)
    if len(matches) > 1:
        name = entity["partition_key"]
        raise ApiError(
            400,
            "partition_key_required",
            f"{len(matches)} items have id {item_id!r}: give the {name} query parameter",
        )
    return matches[0]


def _point_key(entity, req, item_id):
    """The partition key value for a point operation on item_id, or None if it is unknown."""
    return item_id if entity["partition_key"] == "id" else _partition_key_param(entity, req)


def create(entity, req, container):
    item = _item_from_body(entity, req)
    item.setdefault("id", str(uuid.uuid4()))
    try:
        created = container().create_item(item)
    except exceptions.CosmosHttpResponseError as error:
        if error.status_code == 409:
            raise ApiError(
                409, "conflict", f"{entity['entity']} {item['id']!r} already exists"
            ) from None
        raise
    return 201, _public(created)


def read(entity, req, container):
    item_id = req.route_params["id"]
    key = _point_key(entity, req, item_id)
    if key is None:
        return 200, _public(_find_by_id(entity, container(), item_id))
    try:
        return 200, _public(container().read_item(item_id, partition_key=key))
    except exceptions.CosmosHttpResponseError as error:
        if _is_missing_item(error):
            raise _not_found(entity, item_id) from None
        raise


def update(entity, req, container):
    item_id = req.route_params["id"]
    item = _item_from_body(entity, req, route_id=item_id)
    item["id"] = item_id
    try:
        # The SDK takes the partition key value from the item itself.
        return 200, _public(container().replace_item(item_id, item))
    except exceptions.CosmosHttpResponseError as error:
        if _is_missing_item(error):
            raise _not_found(entity, item_id) from None
        raise


def delete(entity, req, container):
    item_id = req.route_params["id"]
    key = _point_key(entity, req, item_id)
    proxy = container()
    if key is None:
        found = _find_by_id(entity, proxy, item_id)
        key = found.get(entity["partition_key"], NonePartitionKeyValue)
    try:
        proxy.delete_item(item_id, partition_key=key)
    except exceptions.CosmosHttpResponseError as error:
        if _is_missing_item(error):
            raise _not_found(entity, item_id) from None
        raise
    return 204, None


def list_items(entity, req, container):
    limit = _limit(req)
    token = req.params.get("continuationToken") or None
    key = _partition_key_param(entity, req)
    if key is None:
        query, options = "SELECT * FROM c", {"enable_cross_partition_query": True}
    else:
        # The filter is also in the query text: the partition_key option alone scopes the query in
        # Azure, but emulators such as cosmosdb-server only look at the query.
        query = f"SELECT * FROM c WHERE c[{json.dumps(entity['partition_key'])}] = @key"
        options = {"parameters": [{"name": "@key", "value": key}], "partition_key": key}
    try:
        pages = container().query_items(query, max_item_count=limit, **options).by_page(token)
        items = list(next(pages, []))
    except exceptions.CosmosHttpResponseError as error:
        if error.status_code == 400 and token:
            raise ApiError(400, "invalid_query", "continuationToken is not valid") from None
        raise
    return 200, {
        "items": [_public(item) for item in items],
        "continuationToken": pages.continuation_token or None,
    }


OPERATIONS = {
    "create": create,
    "read": read,
    "update": update,
    "delete": delete,
    "list": list_items,
}


# --- HTTP --------------------------------------------------------------------------------------


def _json_response(status, payload, headers=None):
    if payload is None:
        return func.HttpResponse(status_code=status, headers=headers)
    # An explicit header: from mimetype alone the worker may add "; charset=utf-8".
    headers = {"Content-Type": "application/json", **(headers or {})}
    return func.HttpResponse(
        json.dumps(payload), status_code=status, headers=headers, mimetype="application/json"
    )


def _error_response(error):
    body = {"code": error.code, "message": error.message}
    if error.fields:
        body["fields"] = error.fields
    return _json_response(error.status, {"error": body}, error.headers)


def _throttled(error):
    """503 with Retry-After: the SDK's x-ms-retry-after-ms in whole seconds, else 1."""
    try:
        milliseconds = float((error.headers or {}).get("x-ms-retry-after-ms"))
        seconds = max(1, math.ceil(milliseconds / 1000))
    except (TypeError, ValueError, OverflowError):
        seconds = 1
    message = f"the database is busy; retry after {seconds} s"
    return _error_response(
        ApiError(503, "throttled", message, headers={"Retry-After": str(seconds)})
    )


def handler(entity, operation, tenant_header):
    """The Azure Function running `operation` on `entity`."""
    if operation not in OPERATIONS:
        raise ValueError(f"{entity['entity']}: unknown operation {operation!r} in baas/api.json")
    run_operation = OPERATIONS[operation]

    # The worker passes `req` (the trigger binding's name) and `context` by parameter name.
    def run(req: func.HttpRequest, context: func.Context) -> func.HttpResponse:
        try:
            target = _target(entity, req, tenant_header)
            status, payload = run_operation(entity, req, lambda: _container(*target))
            return _json_response(status, payload)
        except ApiError as error:
            return _error_response(error)
        except Exception as error:
            # A 429 reaches here once the SDK has retried it (9 times, up to 30 s by default).
            if isinstance(error, exceptions.CosmosHttpResponseError) and error.status_code == 429:
                return _throttled(error)
            # The details go to the log (Application Insights), never to the client.
            log.exception("%s failed (invocation %s)", context.function_name, context.invocation_id)
            return _error_response(ApiError(500, "internal", "internal error"))

    run.__name__ = run.__qualname__ = f"{entity['component']}_{operation}".replace("-", "_")
    return run
