"""The signed-in caller, as App Service Authentication hands it to the code.

The request header ``x-ms-client-principal`` holds base64 JSON ``{auth_typ, name_typ, role_typ,
claims: [{typ, val}]}`` of the validated token, and ``x-ms-client-principal-id`` / ``-name`` its
object id and name. The platform sets them only on an app with ``auth`` (api.json
``platform_auth``); without it any caller can send them, so they are ignored there.

In your own functions::

    from baas.principal import client_principal
    user = client_principal(req)  # {"id", "name", "identity_provider", "roles", "claims"} or None
"""

import base64
import binascii
import json
from pathlib import Path

TABLE = json.loads(Path(__file__).with_name("api.json").read_text(encoding="utf-8"))

OBJECT_ID = "http://schemas.microsoft.com/identity/claims/objectidentifier"


def decode_principal(headers):
    """The principal in ``headers`` (a mapping with ``get``), or None when absent or malformed."""
    encoded = headers.get("x-ms-client-principal")
    if not encoded:
        return None
    try:
        principal = json.loads(base64.b64decode(encoded, validate=True).decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(principal, dict) or not isinstance(principal.get("claims"), list):
        return None
    claims = [
        c
        for c in principal["claims"]
        if isinstance(c, dict) and isinstance(c.get("typ"), str) and isinstance(c.get("val"), str)
    ]

    def claim(*types):
        return next((c["val"] for c in claims if c["typ"] in types), None)

    role_type = principal.get("role_typ") if isinstance(principal.get("role_typ"), str) else "roles"
    name_type = principal.get("name_typ") if isinstance(principal.get("name_typ"), str) else "name"
    auth_type = principal.get("auth_typ")
    return {
        "id": headers.get("x-ms-client-principal-id") or claim(OBJECT_ID, "oid"),
        "name": headers.get("x-ms-client-principal-name") or claim(name_type, "preferred_username", "name"),
        "identity_provider": auth_type if isinstance(auth_type, str) else None,
        "roles": [c["val"] for c in claims if c["typ"] in (role_type, "roles")],
        "claims": claims,
    }


def client_principal(req):
    """The caller of ``req`` (an azure.functions.HttpRequest), or None when not signed in."""
    return decode_principal(req.headers) if TABLE["platform_auth"] else None
