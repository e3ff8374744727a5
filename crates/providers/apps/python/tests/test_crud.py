"""The HTTP contract of the generated CRUD functions, against a real Cosmos DB (COSMOS).

Every test runs for each entity of baas/api.json that declares the operations it needs; items
are seeded straight into Cosmos so each operation is tested on its own.
"""

import json
import uuid

import pytest
from azure.cosmos.exceptions import CosmosResourceNotFoundError
from support import (
    INVALID_VALUES,
    as_param,
    call,
    field_type,
    key_of,
    public,
    sample_item,
    tenants,
    unique_key,
    valid_request,
)

needs = pytest.mark.needs
partitioned = pytest.mark.partitioned


def assert_error(response, status, code):
    assert response.status == status, response
    error = response.error()
    assert error["code"] == code, error
    return error


def other_key(entity, key):
    """A partition key value of the same type that differs from `key`."""
    kind = field_type(entity, entity["partition_key"])
    if kind == "boolean":
        return not key
    if kind == "number":
        return key + 1
    return unique_key(kind)


def seed(container, entity, item=None, **kwargs):
    """Store an item straight into Cosmos (a sample one unless given) and return it."""
    item = item or sample_item(entity, **kwargs)
    container(entity).create_item(item)
    return item


def seed_same_id_in_two_partitions(container, entity):
    first = seed(container, entity)
    second = sample_item(entity, key=other_key(entity, key_of(entity, first)))
    second["id"] = first["id"]
    return first, seed(container, entity, second)


# --- create ------------------------------------------------------------------------------------


@needs("create")
def test_create_answers_201_with_the_stored_item_and_a_generated_uuid4_id(entity, container):
    item = sample_item(entity, with_id=False)
    response = call(entity, "create", body=item)
    assert response.status == 201, response
    created = response.json()
    assert str(uuid.UUID(created["id"], version=4)) == created["id"]
    assert created == {**item, "id": created["id"]}  # no Cosmos system properties
    stored = container(entity).read_item(created["id"], partition_key=key_of(entity, created))
    assert public(stored) == created


@needs("create")
def test_create_keeps_a_given_id_and_answers_409_when_it_exists(entity):
    item = sample_item(entity)
    response = call(entity, "create", body=item)
    assert response.status == 201 and response.json() == item, response
    assert_error(call(entity, "create", body=item), 409, "conflict")


@needs("create")
@pytest.mark.parametrize(
    "body", [b"", b"not json", b"[1, 2]", b'"text"', b"42", b"null", b'{"a": NaN}', b"\xff\xfe{"]
)
def test_create_refuses_a_body_that_is_not_a_json_object(entity, body):
    assert_error(call(entity, "create", body=body), 400, "invalid_body")


@needs("create")
def test_create_refuses_a_field_of_the_wrong_type(entity, field, bad_value):
    item = sample_item(entity)
    item[field] = bad_value
    error = assert_error(call(entity, "create", body=item), 400, "validation_failed")
    assert set(error["fields"]) == {field}, error


@needs("create")
@pytest.mark.parametrize("bad_id", ["", 7, None, ["x"], {"id": "x"}, "a/b", "a\\b", "a?b", "a#b"])
def test_create_refuses_an_id_that_is_not_a_non_empty_string(entity, bad_id):
    item = sample_item(entity)
    item["id"] = bad_id
    error = assert_error(call(entity, "create", body=item), 400, "validation_failed")
    assert set(error["fields"]) == {"id"}, error


@needs("create")
def test_create_refuses_a_field_that_is_not_in_the_schema(entity):
    item = {**sample_item(entity), "undeclaredField": "x"}
    error = assert_error(call(entity, "create", body=item), 400, "validation_failed")
    assert set(error["fields"]) == {"undeclaredField"}, error


@needs("create")
@partitioned
def test_create_requires_the_partition_key(entity):
    item = sample_item(entity)
    del item[entity["partition_key"]]
    error = assert_error(call(entity, "create", body=item), 400, "validation_failed")
    assert set(error["fields"]) == {entity["partition_key"]}, error


@needs("create")
def test_create_names_every_invalid_field(entity):
    item = sample_item(entity)
    invalid = {
        name: INVALID_VALUES[kind][0] for name, kind in entity["fields"].items() if name != "id"
    }
    item.update(invalid, id="", undeclaredField=1)
    error = assert_error(call(entity, "create", body=item), 400, "validation_failed")
    assert set(error["fields"]) == {*invalid, "id", "undeclaredField"}, error


# --- read --------------------------------------------------------------------------------------


@needs("read")
def test_read_answers_200_with_the_item(entity, container):
    item = seed(container, entity)
    # Without the partition key: a cross-partition lookup (a point read when the key is id).
    response = call(entity, "read", item_id=item["id"])
    assert response.status == 200 and response.json() == item, response


@needs("read")
@partitioned
def test_read_with_the_partition_key_parameter_is_a_point_read(entity, container):
    item = seed(container, entity)
    pk = entity["partition_key"]
    response = call(entity, "read", item_id=item["id"], params={pk: as_param(item[pk])})
    assert response.status == 200 and response.json() == item, response
    # The parameter is used: under another partition key value the item does not exist.
    response = call(
        entity, "read", item_id=item["id"], params={pk: as_param(other_key(entity, item[pk]))}
    )
    assert_error(response, 404, "not_found")


@needs("read")
def test_read_of_a_missing_item_is_404(entity):
    assert_error(call(entity, "read", item_id=f"missing-{uuid.uuid4()}"), 404, "not_found")
    if entity["partition_key"] != "id":
        params = {
            entity["partition_key"]: as_param(
                unique_key(field_type(entity, entity["partition_key"]))
            )
        }
        assert_error(
            call(entity, "read", item_id=f"missing-{uuid.uuid4()}", params=params), 404, "not_found"
        )


@needs("read")
@partitioned
def test_read_of_an_id_in_two_partitions_needs_the_partition_key(entity, container):
    first, second = seed_same_id_in_two_partitions(container, entity)
    assert_error(call(entity, "read", item_id=first["id"]), 400, "partition_key_required")
    pk = entity["partition_key"]
    for item in (first, second):
        response = call(entity, "read", item_id=item["id"], params={pk: as_param(item[pk])})
        assert response.status == 200 and response.json() == item, response


@needs("read")
@partitioned
def test_read_converts_the_partition_key_parameter_to_the_field_type(entity, container):
    pk = entity["partition_key"]
    kind = field_type(entity, pk)
    # A string field keeps "123" a string; a number field makes it 123; a boolean one makes true.
    key = {"number": 123, "boolean": True}.get(
        kind, "123" if kind == "string" else unique_key(kind)
    )
    item = seed(container, entity, key=key)
    response = call(entity, "read", item_id=item["id"], params={pk: as_param(key)})
    assert response.status == 200 and response.json() == item, response
    for bad in {
        "number": ["abc", "1e", "NaN", "0x10", ""],
        "boolean": ["yes", "True", "1", ""],
    }.get(kind, []):
        response = call(entity, "read", item_id=item["id"], params={pk: bad})
        assert_error(response, 400, "invalid_query")


# --- update ------------------------------------------------------------------------------------


@needs("update")
def test_update_answers_200_with_the_replaced_item(entity, container):
    item = seed(container, entity)
    replacement = {**sample_item(entity, key=item.get(entity["partition_key"])), "id": item["id"]}
    response = call(entity, "update", item_id=item["id"], body=replacement)
    assert response.status == 200 and response.json() == replacement, response
    stored = container(entity).read_item(item["id"], partition_key=key_of(entity, item))
    assert public(stored) == replacement


@needs("update")
def test_update_takes_a_missing_body_id_from_the_route(entity, container):
    item = seed(container, entity)
    replacement = sample_item(entity, with_id=False, key=item.get(entity["partition_key"]))
    response = call(entity, "update", item_id=item["id"], body=replacement)
    assert response.status == 200 and response.json() == {**replacement, "id": item["id"]}, response


@needs("update")
def test_update_refuses_a_body_id_that_is_not_the_route_id(entity, container):
    item = seed(container, entity)
    body = {**item, "id": f"other-{uuid.uuid4()}"}
    error = assert_error(
        call(entity, "update", item_id=item["id"], body=body), 400, "validation_failed"
    )
    assert set(error["fields"]) == {"id"}, error


@needs("update")
def test_update_of_a_missing_item_is_404(entity):
    item = sample_item(entity)
    assert_error(call(entity, "update", item_id=item["id"], body=item), 404, "not_found")


@needs("update")
def test_update_validates_the_body_like_create(entity, field, bad_value):
    item = sample_item(entity)
    item[field] = bad_value
    error = assert_error(
        call(entity, "update", item_id=item["id"], body=item), 400, "validation_failed"
    )
    assert set(error["fields"]) == {field}, error


@needs("update")
def test_update_refuses_a_body_that_is_not_a_json_object(entity):
    assert_error(call(entity, "update", item_id="x", body=b"[]"), 400, "invalid_body")


@needs("update")
@partitioned
def test_update_requires_the_partition_key_in_the_body(entity, container):
    item = seed(container, entity)
    body = {k: v for k, v in item.items() if k != entity["partition_key"]}
    error = assert_error(
        call(entity, "update", item_id=item["id"], body=body), 400, "validation_failed"
    )
    assert set(error["fields"]) == {entity["partition_key"]}, error


# --- delete ------------------------------------------------------------------------------------


def exists(container, entity, item):
    try:
        container(entity).read_item(item["id"], partition_key=key_of(entity, item))
        return True
    except CosmosResourceNotFoundError:
        return False


@needs("delete")
def test_delete_answers_204_with_no_body_then_404(entity, container):
    item = seed(container, entity)
    response = call(entity, "delete", item_id=item["id"])
    assert response.status == 204 and response.body == b"", response
    assert not exists(container, entity, item)
    assert_error(call(entity, "delete", item_id=item["id"]), 404, "not_found")


@needs("delete")
@partitioned
def test_delete_with_the_partition_key_parameter_is_a_point_delete(entity, container):
    item = seed(container, entity)
    pk = entity["partition_key"]
    wrong = {pk: as_param(other_key(entity, item[pk]))}
    assert_error(call(entity, "delete", item_id=item["id"], params=wrong), 404, "not_found")
    assert exists(container, entity, item)
    response = call(entity, "delete", item_id=item["id"], params={pk: as_param(item[pk])})
    assert response.status == 204 and response.body == b"", response
    assert not exists(container, entity, item)


@needs("delete")
@partitioned
def test_delete_of_an_id_in_two_partitions_needs_the_partition_key(entity, container):
    first, second = seed_same_id_in_two_partitions(container, entity)
    assert_error(call(entity, "delete", item_id=first["id"]), 400, "partition_key_required")
    assert exists(container, entity, first) and exists(container, entity, second)


# --- list --------------------------------------------------------------------------------------


def list_all(entity, limit=100, params=None, **kwargs):
    """Every page of the list operation; checks each page's shape and size."""
    pages, token, seen = [], None, set()
    while True:
        query = {**(params or {}), "limit": str(limit)}
        if token:
            query["continuationToken"] = token
        response = call(entity, "list", params=query, **kwargs)
        assert response.status == 200, response
        page = response.json()
        assert set(page) == {"items", "continuationToken"}, page
        assert len(page["items"]) <= limit
        pages.append(page["items"])
        token = page["continuationToken"]
        if token is None:
            return pages
        assert isinstance(token, str) and token not in seen, (
            f"continuationToken did not advance: {token!r}"
        )
        seen.add(token)


@needs("list")
def test_list_pages_through_every_item_with_limit_and_continuation_token(entity, container):
    seeded = [seed(container, entity) for _ in range(5)]
    pages = list_all(entity, limit=2)
    assert len(pages) >= 3  # at least 5 items, 2 per page
    # An item is (partition key value, id): other tests leave one id in two partitions.
    keys = [
        (json.dumps(item.get(entity["partition_key"])), item["id"])
        for page in pages
        for item in page
    ]
    assert len(keys) == len(set(keys)), "an item was listed twice"
    listed = [item for page in pages for item in page]
    for item in seeded:
        assert item in listed  # as stored, without Cosmos system properties


@needs("list")
def test_list_answers_100_items_per_page_by_default(entity, container):
    pk = entity["partition_key"]
    key = unique_key(field_type(entity, pk)) if pk != "id" else None
    for _ in range(101):
        seed(container, entity, key=key)
    # In one partition when there is a partition key field, so the page is surely full.
    response = call(entity, "list", params={pk: as_param(key)} if key is not None else None)
    assert response.status == 200, response
    page = response.json()
    assert len(page["items"]) == 100 and page["continuationToken"], page["continuationToken"]


@needs("list")
@partitioned
def test_list_filters_by_the_partition_key_parameter(entity, container):
    pk = entity["partition_key"]
    key = unique_key(field_type(entity, pk))
    inside = [seed(container, entity, key=key) for _ in range(3)]
    seed(container, entity, key=other_key(entity, key))
    pages = list_all(entity, limit=2, params={pk: as_param(key)})
    listed = {item["id"]: item for page in pages for item in page}
    assert all(item[pk] == key for item in listed.values())
    for item in inside:
        assert listed[item["id"]] == item


@needs("list")
@pytest.mark.parametrize("limit", ["0", "1001", "-1", "1.5", "abc", "", " 5", "99999"])
def test_list_refuses_a_limit_outside_1_to_1000(entity, limit):
    assert_error(call(entity, "list", params={"limit": limit}), 400, "invalid_query")


# --- database-per-tenant -----------------------------------------------------------------------


@pytest.mark.tenanted
def test_every_operation_needs_the_tenant_header(entity):
    for operation in entity["operations"]:
        response = valid_request(entity, operation, tenant=None)
        assert_error(response, 400, "tenant_required")


@pytest.mark.tenanted
def test_an_unknown_tenant_is_400(entity):
    for operation in entity["operations"]:
        response = valid_request(entity, operation, tenant=f"no-such-{uuid.uuid4().hex[:6]}")
        assert_error(response, 400, "unknown_tenant")


@pytest.mark.tenanted
def test_each_tenant_uses_its_own_container(entity, container):
    """An item written for one tenant is only in that tenant's container, for every tenant."""
    names = tenants(entity)
    for owner in names:
        item = sample_item(entity)
        if "create" in entity["operations"]:
            assert call(entity, "create", body=item, tenant=owner).status == 201
        else:
            container(entity, owner).create_item(item)
        for tenant in names:
            found = container(entity, tenant).query_items(
                "SELECT * FROM c WHERE c.id = @id",
                parameters=[{"name": "@id", "value": item["id"]}],
                enable_cross_partition_query=True,
            )
            assert [public(i) for i in found] == ([item] if tenant == owner else []), (
                owner,
                tenant,
            )
            if "read" in entity["operations"]:
                response = call(entity, "read", item_id=item["id"], tenant=tenant)
                if tenant == owner:
                    assert response.status == 200 and response.json() == item, response
                else:
                    assert_error(response, 404, "not_found")
            if "list" in entity["operations"]:
                listed = [i["id"] for page in list_all(entity, tenant=tenant) for i in page]
                assert (item["id"] in listed) == (tenant == owner), (owner, tenant)
