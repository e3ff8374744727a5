'use strict';
// The signed-in caller, as App Service Authentication hands it to the code: the request header
// `x-ms-client-principal` holds base64 JSON {auth_typ, name_typ, role_typ, claims: [{typ, val}]}
// of the validated token, and `x-ms-client-principal-id` / `-name` its object id and name.
//
// The platform sets these headers only on an app with `auth` (api.json `platform_auth`); without
// it, any caller can send them, so they are ignored and the caller is anonymous (null).
//
// In your own functions (src/functions/*.js):
//   const { clientPrincipal } = require('../baas/principal');
//   const user = clientPrincipal(request); // {id, name, identityProvider, roles, claims} or null

const api = require('./api.json');

const OBJECT_ID = 'http://schemas.microsoft.com/identity/claims/objectidentifier';

/** Reads the principal from `headers` (a Headers object); null when absent or malformed. */
function decodePrincipal(headers) {
  const encoded = headers.get('x-ms-client-principal');
  if (!encoded) return null;
  let principal;
  try {
    principal = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    return null;
  }
  if (!principal || typeof principal !== 'object' || !Array.isArray(principal.claims)) return null;
  const claims = principal.claims.filter((c) => c && typeof c.typ === 'string' && typeof c.val === 'string');
  const claim = (...types) => claims.find((c) => types.includes(c.typ))?.val ?? null;
  const roleType = typeof principal.role_typ === 'string' ? principal.role_typ : 'roles';
  const nameType = typeof principal.name_typ === 'string' ? principal.name_typ : 'name';
  return {
    id: headers.get('x-ms-client-principal-id') || claim(OBJECT_ID, 'oid'),
    name: headers.get('x-ms-client-principal-name') || claim(nameType, 'preferred_username', 'name'),
    identityProvider: typeof principal.auth_typ === 'string' ? principal.auth_typ : null,
    roles: claims.filter((c) => c.typ === roleType || c.typ === 'roles').map((c) => c.val),
    claims,
  };
}

/** The caller of `request` (an @azure/functions HttpRequest), or null when not signed in. */
function clientPrincipal(request) {
  return api.platform_auth ? decodePrincipal(request.headers) : null;
}

module.exports = { clientPrincipal, decodePrincipal };
