"""baas/principal.py: the signed-in caller from App Service Authentication's headers, trusted
only on an app whose platform signs callers in."""

import base64
import json

import azure.functions as func
from support import TABLE  # first: puts the project root on sys.path

from baas.principal import client_principal, decode_principal

ROLE = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"
PRINCIPAL = {
    "auth_typ": "aad",
    "name_typ": "name",
    "role_typ": ROLE,
    "claims": [
        {"typ": "http://schemas.microsoft.com/identity/claims/objectidentifier", "val": "0b1a7c1e-0000-4000-8000-000000000001"},
        {"typ": "name", "val": "Ada Lovelace"},
        {"typ": ROLE, "val": "Orders.Write"},
        {"typ": "roles", "val": "Orders.Read"},
    ],
}


def encode(value):
    return base64.b64encode(json.dumps(value).encode()).decode()


def request(headers):
    return func.HttpRequest("GET", "http://localhost/api/x", headers=headers, body=b"")


def test_decodes_the_principal_header():
    user = decode_principal(request({"x-ms-client-principal": encode(PRINCIPAL)}).headers)
    assert user["id"] == "0b1a7c1e-0000-4000-8000-000000000001"
    assert user["name"] == "Ada Lovelace"
    assert user["identity_provider"] == "aad"
    assert user["roles"] == ["Orders.Write", "Orders.Read"]
    assert len(user["claims"]) == 4


def test_the_id_and_name_headers_win_over_the_claims():
    headers = {
        "x-ms-client-principal": encode(PRINCIPAL),
        "x-ms-client-principal-id": "from-header",
        "x-ms-client-principal-name": "ada@example.com",
    }
    user = decode_principal(request(headers).headers)
    assert (user["id"], user["name"]) == ("from-header", "ada@example.com")


def test_a_missing_or_malformed_header_is_nobody():
    assert decode_principal(request({}).headers) is None
    assert decode_principal(request({"x-ms-client-principal": "not base64 json!"}).headers) is None
    assert decode_principal(request({"x-ms-client-principal": encode({"auth_typ": "aad"})}).headers) is None
    assert decode_principal(request({"x-ms-client-principal": encode([1, 2])}).headers) is None


def test_the_header_is_trusted_exactly_when_the_platform_signs_callers_in():
    user = client_principal(request({"x-ms-client-principal": encode(PRINCIPAL)}))
    if TABLE["platform_auth"]:
        assert user["name"] == "Ada Lovelace"
    else:
        assert user is None  # without auth anyone can send the header
