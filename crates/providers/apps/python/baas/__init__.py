"""The generated functions of this app, driven by baas/api.json (written by baas: do not edit).

`bp` holds one HTTP function per declared operation of every entity, plus the health probe;
function_app.py registers it. Routes are relative to host.json's "api" prefix.
"""

import json
from pathlib import Path

import azure.functions as func

from . import crud
from .health import health

TABLE = json.loads(Path(__file__).with_name("api.json").read_text(encoding="utf-8"))

# operation -> (route below the entity's plural, HTTP method)
ROUTES = {
    "create": ("", "POST"),
    "list": ("", "GET"),
    "read": ("/{id}", "GET"),
    "update": ("/{id}", "PUT"),
    "delete": ("/{id}", "DELETE"),
}

bp = func.Blueprint()

# With App Service Authentication (`auth` in backend.yaml) the platform has checked the caller's
# token before a request reaches a function, so the CRUD routes need no function key, which a
# browser could not keep secret.
CRUD_AUTH_LEVEL = func.AuthLevel.ANONYMOUS if TABLE["platform_auth"] else func.AuthLevel.FUNCTION


def _register(name, route, method, auth_level, function):
    bp.function_name(name)(bp.route(route=route, methods=[method], auth_level=auth_level)(function))


for _entity in TABLE["entities"]:
    for _operation, _name in sorted(_entity["operations"].items()):
        if _operation not in ROUTES:
            raise ValueError(f"{_entity['entity']}: unknown operation {_operation!r} in api.json")
        _suffix, _method = ROUTES[_operation]
        _register(
            _name,
            _entity["plural"] + _suffix,
            _method,
            CRUD_AUTH_LEVEL,
            crud.handler(_entity, _operation, TABLE["tenant_header"]),
        )

# `health` is null for an app that serves no HTTP (timers and queues only): nothing probes it.
if TABLE["health"]:
    _register(
        TABLE["health"]["function"],
        TABLE["health"]["route"],
        "GET",
        func.AuthLevel.ANONYMOUS,
        health,
    )
