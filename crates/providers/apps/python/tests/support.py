"""Shared helpers of the tests: the table, the registered functions, requests, sample values.

Everything is derived from baas/api.json, so the tests hold for any generated table.
"""

import inspect
import json
import random
import sys
import threading
import uuid
from pathlib import Path
from urllib.parse import urlencode

import azure.functions as func

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # import function_app as the worker does, from the project root

TABLE = json.loads((ROOT / "baas" / "api.json").read_text(encoding="utf-8"))
ENTITIES = TABLE["entities"]
TENANT_HEADER = TABLE["tenant_header"]
HEALTH = TABLE["health"]
SYSTEM_PROPERTIES = {"_rid", "_self", "_etag", "_attachments", "_ts"}

import function_app  # noqa: E402  (needs ROOT on sys.path)

# The real registration. get_functions() may be called only once per FunctionApp (a second call
# reports every name as a duplicate), so the result is kept here.
FUNCTIONS = {
    function.get_function_name(): function for function in function_app.app.get_functions()
}


def component(entity):
    return entity["component"]


def tenants(entity):
    return sorted(entity.get("tenants", {}))


class Context(func.Context):
    """What the worker passes as `context`."""

    def __init__(self, function_name):
        self._function_name = function_name
        self._invocation_id = str(uuid.uuid4())

    invocation_id = property(lambda self: self._invocation_id)
    function_name = property(lambda self: self._function_name)
    function_directory = property(lambda self: str(ROOT))
    thread_local_storage = property(lambda self: threading.local())
    trace_context = property(lambda self: None)
    retry_context = property(lambda self: None)


class Response:
    def __init__(self, response):
        self.raw = response
        self.status = response.status_code
        self.headers = response.headers
        self.body = response.get_body()

    def json(self):
        assert self.headers.get("Content-Type") == "application/json", self.headers
        return json.loads(self.body)

    def error(self):
        """The error object, after checking the error shape of the contract."""
        payload = self.json()
        assert set(payload) == {"error"}, payload
        error = payload["error"]
        assert isinstance(error["code"], str) and isinstance(error["message"], str), error
        assert set(error) <= {"code", "message", "fields"}, error
        assert b"Traceback" not in self.body
        return error

    def __repr__(self):
        return f"<{self.status} {self.body[:300]!r}>"


def invoke(name, method, route, *, route_params=None, params=None, headers=None, body=None):
    """Call the registered function `name` as the worker would, with a real HttpRequest."""
    function = FUNCTIONS[name]
    trigger = function.get_trigger()
    assert method in [str(getattr(m, "value", m)) for m in trigger.methods], (name, method)
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    url = f"http://localhost:7071/api/{route}" + (f"?{urlencode(params)}" if params else "")
    request = func.HttpRequest(
        method=method,
        url=url,
        route_params=route_params or {},
        params=params or {},
        headers=headers or {},
        body=body or b"",
    )
    user_function = function.get_user_function()
    arguments = {trigger.name: request}
    if "context" in inspect.signature(user_function).parameters:
        arguments["context"] = Context(name)
    return Response(user_function(**arguments))


def call(
    entity, operation, *, item_id=None, params=None, body=None, tenant="default", headers=None
):
    """Run `operation` of `entity`; tenant entities get the first tenant's header by default."""
    headers = dict(headers or {})
    if "tenants" in entity and tenant is not None:
        headers[TENANT_HEADER] = tenants(entity)[0] if tenant == "default" else tenant
    method = {"create": "POST", "read": "GET", "update": "PUT", "delete": "DELETE", "list": "GET"}
    route = entity["plural"] + (f"/{item_id}" if item_id is not None else "")
    return invoke(
        entity["operations"][operation],
        method[operation],
        route,
        route_params={"id": item_id} if item_id is not None else None,
        params=params,
        headers=headers,
        body=body,
    )


def valid_request(entity, operation, **kwargs):
    """Run `operation` with a valid request (a fresh sample item as body and/or id)."""
    item = sample_item(entity)
    if operation == "create":
        return call(entity, operation, body=item, **kwargs)
    if operation == "update":
        return call(entity, operation, item_id=item["id"], body=item, **kwargs)
    if operation == "list":
        return call(entity, operation, **kwargs)
    return call(entity, operation, item_id=item["id"], **kwargs)


# --- sample values by declared type ------------------------------------------------------------


def field_type(entity, name):
    return entity["fields"].get(name, "string")


def valid_value(kind):
    return {
        "string": f"s-{uuid.uuid4().hex[:8]}",
        "number": random.choice([7, -3, 41.5, 1e3]),
        "boolean": random.choice([True, False]),
        "timestamp": random.choice(["2026-12-07T08:00:00Z", "2026-12-07T08:00:00.123+01:00"]),
        "array": [1, "two", {"three": 3}],
        "object": {"nested": {"list": [1, 2]}, "flag": False},
    }[kind]


# Values of the wrong type for each declared type (null is never valid).
INVALID_VALUES = {
    "string": [42, True, None, ["a"], {"a": "b"}],
    "number": ["42", True, None, [1], {"n": 1}],
    "boolean": ["true", 0, None, [True], {"b": True}],
    "timestamp": [
        "2026-12-07",
        "2026-12-07T08:00:00",
        "2026-13-07T08:00:00Z",
        "2026-02-30T08:00:00Z",
        "2026-12-07T24:00:00Z",
        "2026-12-07T08:00:00+24:00",
        "2026-12-07 08:00",
        "yesterday",
        "",
        1796630400,
        None,
    ],
    "array": [{"a": 1}, "[1]", 1, None],
    "object": [[1], "{}", 1, None],
}


def unique_key(kind):
    """A partition key value of the given type, unlikely to be shared with other tests."""
    if kind == "number":
        return random.randrange(1, 2**31)
    if kind == "boolean":
        return random.choice(
            [True, False]
        )  # only two partitions: tests must not assume a fresh one
    if kind == "timestamp":
        return f"2026-12-07T08:00:00.{random.randrange(10**6):06d}Z"
    return f"p-{uuid.uuid4().hex[:12]}"


def as_param(value):
    """A partition key value as a query-parameter string."""
    return json.dumps(value) if isinstance(value, bool) else str(value)


def sample_item(entity, *, with_id=True, key=None):
    """A valid item with every declared field; the partition key is `key` or a fresh value."""
    item = {name: valid_value(kind) for name, kind in entity["fields"].items() if name != "id"}
    if with_id:
        item["id"] = f"i-{uuid.uuid4()}"
    pk = entity["partition_key"]
    if pk != "id":
        item[pk] = key if key is not None else unique_key(field_type(entity, pk))
    return item


def key_of(entity, item):
    return item[entity["partition_key"]]


def public(item):
    return {k: v for k, v in item.items() if k not in SYSTEM_PROPERTIES}
