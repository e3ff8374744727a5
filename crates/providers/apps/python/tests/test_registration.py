"""What function_app.py registers: exactly the declared operations, health, and user blueprints."""

import json
import shutil
import subprocess
import sys

import pytest

from support import ENTITIES, FUNCTIONS, HEALTH, ROOT, TABLE, invoke

ROUTES = {
    "create": ("", "POST"),
    "read": ("/{id}", "GET"),
    "update": ("/{id}", "PUT"),
    "delete": ("/{id}", "DELETE"),
    "list": ("", "GET"),
}

# The platform authenticates callers when the backend has `auth`: then no function key.
CRUD_AUTH_LEVEL = "anonymous" if TABLE["platform_auth"] else "function"


def test_the_table_says_whether_the_platform_signs_callers_in():
    assert isinstance(TABLE["platform_auth"], bool)


def expected_functions():
    """name -> (route, methods, auth level) for every function the table asks for."""
    expected = {HEALTH["function"]: (HEALTH["route"], ["GET"], "anonymous")} if HEALTH else {}
    for entity in ENTITIES:
        for operation, name in entity["operations"].items():
            suffix, method = ROUTES[operation]
            expected[name] = (entity["plural"] + suffix, [method], CRUD_AUTH_LEVEL)
    return expected


def describe(function):
    trigger = function.get_trigger()
    if trigger.get_binding_name() != "httpTrigger":
        return None
    methods = [str(getattr(method, "value", method)) for method in trigger.methods]
    return trigger.route, methods, str(getattr(trigger.auth_level, "value", trigger.auth_level))


def test_the_declared_operations_and_health_are_registered_with_their_routes():
    registered = {name: describe(function) for name, function in FUNCTIONS.items()}
    for name, spec in expected_functions().items():
        assert registered.get(name) == spec, name


def test_only_declared_operations_are_generated():
    generated = {
        name
        for name, function in FUNCTIONS.items()
        if function.get_user_function().__module__.startswith("baas")
    }
    assert generated == set(expected_functions())
    # ...and no function at all serves an entity route with an undeclared method.
    entity_routes = {entity["plural"] + suffix for entity in ENTITIES for suffix in ("", "/{id}")}
    served = {
        (spec[0], method)
        for spec in map(describe, FUNCTIONS.values())
        if spec and spec[0] in entity_routes
        for method in spec[1]
    }
    declared = {
        (route, method)
        for route, methods, _ in expected_functions().values()
        if route in entity_routes
        for method in methods
    }
    assert served == declared


def list_functions(project):
    result = subprocess.run(
        [sys.executable, "tests/list_functions.py"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_list_functions_prints_every_registered_function():
    assert list_functions(ROOT) == sorted(FUNCTIONS)


def copy_project(target):
    """The generated project without tests/ (except list_functions.py) and without functions/."""
    shutil.copy(ROOT / "function_app.py", target)
    shutil.copytree(ROOT / "baas", target / "baas", ignore=shutil.ignore_patterns("__pycache__"))
    (target / "tests").mkdir()
    shutil.copy(ROOT / "tests" / "list_functions.py", target / "tests")


def test_without_a_functions_package_only_generated_functions_are_registered(tmp_path):
    copy_project(tmp_path)
    assert list_functions(tmp_path) == sorted(expected_functions())


USER_MODULES = {
    "__init__.py": "",
    "b_http.py": """
import azure.functions as func
bp = func.Blueprint()

@bp.function_name("user-http")
@bp.route(route="user/{thing}", methods=["GET"])
def user_http(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse(req.route_params["thing"])
""",
    "a_helper.py": "GREETING = 'a module without bp is skipped'\n",
    "c_timer.py": """
import azure.functions as func
bp = func.Blueprint()

@bp.function_name("user-timer")
@bp.timer_trigger(arg_name="timer", schedule="0 0 * * * *")
def user_timer(timer: func.TimerRequest) -> None:
    pass
""",
}


def test_user_blueprints_are_registered_beside_the_generated_functions(tmp_path):
    copy_project(tmp_path)
    (tmp_path / "functions").mkdir()
    for name, source in USER_MODULES.items():
        (tmp_path / "functions" / name).write_text(source)
    assert list_functions(tmp_path) == sorted([*expected_functions(), "user-http", "user-timer"])


def test_a_user_bp_that_is_not_a_blueprint_is_an_error(tmp_path):
    copy_project(tmp_path)
    (tmp_path / "functions").mkdir()
    (tmp_path / "functions" / "bad.py").write_text("bp = object()\n")
    result = subprocess.run(
        [sys.executable, "tests/list_functions.py"], cwd=tmp_path, capture_output=True, text=True
    )
    assert (
        result.returncode != 0
        and "functions.bad.bp must be an azure.functions.Blueprint" in result.stderr
    )


@pytest.mark.skipif(not HEALTH, reason="this app serves no HTTP: no health function")
def test_health_answers_200_anonymously_without_touching_cosmos(monkeypatch):
    import baas.crud

    def no_cosmos():
        raise AssertionError("health must not use Cosmos DB")

    monkeypatch.setattr(baas.crud, "cosmos_client", no_cosmos)
    response = invoke(HEALTH["function"], "GET", HEALTH["route"])
    assert response.status == 200
    assert response.json() == {"status": "ok"}
