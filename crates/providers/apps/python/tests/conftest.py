"""Test setup: a Cosmos DB account (COSMOS), one database per entity (and tenant), and the
app settings the table names pointing at them."""

import os
import uuid

import pytest
import support

NO_COSMOS = """COSMOS is not set: these tests need a Cosmos DB account (they never skip).
Either start the test server of the generated Node project (out/apps/node), in another shell:
    npm install && npm run cosmos-server
  it prints one JSON line; export its COSMOS and REQUESTS_CA_BUNDLE values here:
    export COSMOS='AccountEndpoint=https://127.0.0.1:PORT/;AccountKey=...;'
    export REQUESTS_CA_BUNDLE=/tmp/baas-cosmos-.../ca.pem
or run the Azure Cosmos DB emulator and set
    export COSMOS='AccountEndpoint=https://localhost:8081/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==;'
then run `python -m pytest tests` again."""


def pytest_configure(config):
    for marker in (
        "needs(*operations): only entities declaring these operations",
        "partitioned: only entities whose partition key is not id",
        "tenanted: only database-per-tenant entities",
    ):
        config.addinivalue_line("markers", marker)
    # azure-cosmos never verifies TLS for localhost (emulators), and urllib3 warns on each request.
    config.addinivalue_line("filterwarnings", "ignore::urllib3.exceptions.InsecureRequestWarning")


def _entities(metafunc):
    """The entities a test applies to, from its markers."""
    marker = metafunc.definition.get_closest_marker("needs")
    needed = set(marker.args if marker else ())
    entities = [e for e in support.ENTITIES if needed <= set(e["operations"])]
    if metafunc.definition.get_closest_marker("partitioned"):
        entities = [e for e in entities if e["partition_key"] != "id"]
    if metafunc.definition.get_closest_marker("tenanted"):
        entities = [e for e in entities if "tenants" in e]
    return entities


def pytest_generate_tests(metafunc):
    """Parametrize `entity` (and `field`, `bad_value`) from the table."""
    if "bad_value" in metafunc.fixturenames:
        cases = [
            pytest.param(entity, name, value, id=f"{entity['component']}-{name}-{value!r}")
            for entity in _entities(metafunc)
            for name, kind in sorted(entity["fields"].items())
            if name != "id"
            for value in support.INVALID_VALUES[kind]
        ]
        metafunc.parametrize("entity,field,bad_value", cases)
    elif "entity" in metafunc.fixturenames:
        metafunc.parametrize("entity", _entities(metafunc), ids=support.component)


def pytest_collection_modifyitems(config, items):
    # A check whose operations no entity declares has nothing to run: deselect it (reported as
    # "deselected") instead of the "skipped" pytest shows for an empty parameter set.
    empty = [
        item
        for item in items
        if any(
            "got empty parameter set" in str(m.kwargs.get("reason", ""))
            for m in item.iter_markers("skip")
        )
    ]
    if empty:
        config.hook.pytest_deselected(items=empty)
        items[:] = [item for item in items if item not in empty]


@pytest.fixture(scope="session", autouse=True)
def cosmos():
    """The test databases: created for this run, deleted after it; the settings point at them."""
    if not os.environ.get("COSMOS"):
        pytest.exit(NO_COSMOS, returncode=1)
    from azure.cosmos import CosmosClient, PartitionKey

    client = CosmosClient.from_connection_string(os.environ["COSMOS"])
    run = uuid.uuid4().hex[:8]
    created, saved = [], {}
    for entity in support.ENTITIES:
        targets = (
            [(None, entity["settings"])]
            if "settings" in entity
            else sorted(entity["tenants"].items())
        )
        for tenant, names in targets:
            database = f"baas-test-{run}-{entity['component']}" + (f"-{tenant}" if tenant else "")
            # kind/version are spelled out: cosmosdb-server needs version 2 for the Python SDK.
            key = PartitionKey(path=f"/{entity['partition_key']}", kind="Hash", version=2)
            client.create_database(database).create_container(
                entity["component"], partition_key=key
            )
            created.append(database)
            for setting, value in (
                (names["database"], database),
                (names["container"], entity["component"]),
            ):
                saved.setdefault(setting, os.environ.get(setting))
                os.environ[setting] = value
    yield client
    for database in created:
        client.delete_database(database)
    for setting, value in saved.items():
        if value is None:
            os.environ.pop(setting, None)
        else:
            os.environ[setting] = value


@pytest.fixture
def container(cosmos):
    """container(entity, tenant=None): the ContainerProxy behind an entity (or its tenant)."""

    def get(entity, tenant=None):
        names = entity.get("settings") or entity["tenants"][tenant or support.tenants(entity)[0]]
        database = cosmos.get_database_client(os.environ[names["database"]])
        return database.get_container_client(os.environ[names["container"]])

    return get
