'use strict';
// src/baas/principal.js: the signed-in caller from App Service Authentication's headers, trusted
// only on an app whose platform signs callers in.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { HttpRequest } = require('@azure/functions');
const api = require('../src/baas/api.json');
const { clientPrincipal, decodePrincipal } = require('../src/baas/principal');

const PRINCIPAL = {
  auth_typ: 'aad',
  name_typ: 'name',
  role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
  claims: [
    { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: '0b1a7c1e-0000-4000-8000-000000000001' },
    { typ: 'name', val: 'Ada Lovelace' },
    { typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', val: 'Orders.Write' },
    { typ: 'roles', val: 'Orders.Read' },
  ],
};
const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64');
const headers = (entries) => new HttpRequest({ method: 'GET', url: 'http://localhost/api/x', headers: entries }).headers;

test('decodes the principal header into id, name, provider, roles and claims', () => {
  const user = decodePrincipal(headers({ 'x-ms-client-principal': encode(PRINCIPAL) }));
  assert.equal(user.id, '0b1a7c1e-0000-4000-8000-000000000001');
  assert.equal(user.name, 'Ada Lovelace');
  assert.equal(user.identityProvider, 'aad');
  assert.deepEqual(user.roles, ['Orders.Write', 'Orders.Read']);
  assert.equal(user.claims.length, 4);
});

test('the id and name headers win over the claims', () => {
  const user = decodePrincipal(headers({
    'x-ms-client-principal': encode(PRINCIPAL),
    'x-ms-client-principal-id': 'from-header',
    'x-ms-client-principal-name': 'ada@example.com',
  }));
  assert.equal(user.id, 'from-header');
  assert.equal(user.name, 'ada@example.com');
});

test('no header, bad base64 JSON or a principal without claims is nobody', () => {
  assert.equal(decodePrincipal(headers({})), null);
  assert.equal(decodePrincipal(headers({ 'x-ms-client-principal': 'not base64 json' })), null);
  assert.equal(decodePrincipal(headers({ 'x-ms-client-principal': encode({ auth_typ: 'aad' }) })), null);
  assert.equal(decodePrincipal(headers({ 'x-ms-client-principal': encode([1, 2]) })), null);
});

test(`clientPrincipal trusts the header exactly when the platform signs callers in (platform_auth: ${api.platform_auth})`, () => {
  const request = new HttpRequest({
    method: 'GET',
    url: 'http://localhost/api/x',
    headers: { 'x-ms-client-principal': encode(PRINCIPAL) },
  });
  const user = clientPrincipal(request);
  if (api.platform_auth) assert.equal(user.name, 'Ada Lovelace');
  else assert.equal(user, null, 'without auth anyone can send the header');
});
