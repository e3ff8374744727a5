'use strict';
// Shared test helpers: load the app as the host would, invoke its handlers through the real
// @azure/functions HttpRequest / InvocationContext / HttpResponse, and derive sample values from
// the declared field types so the tests hold for any generated api.json.

const assert = require('node:assert/strict');
const { randomUUID } = require('node:crypto');
const { installFakeCore, triggerOf } = require('./fake-core');

const registrations = installFakeCore(); // before @azure/functions is first used
const { HttpRequest, HttpResponse, InvocationContext } = require('@azure/functions');
const api = require('../src/baas/api.json');

let loaded = false;
/** Loads src/baas/index.js once; returns {name -> {metadata, trigger, handler}}. */
function loadApp() {
  if (!loaded) {
    require('../src/baas/index.js');
    loaded = true;
  }
  return Object.fromEntries(registrations.map((r) => [r.name, { ...r, trigger: triggerOf(r) }]));
}

/**
 * Calls a registered HTTP function like the worker does: builds an HttpRequest from the route
 * the function registered, an InvocationContext whose logs are captured, and turns the handler's
 * result into an HttpResponse (as the library's toRpcHttp does).
 */
async function invoke(functionName, { id, query = {}, headers = {}, body } = {}) {
  const fn = loadApp()[functionName];
  assert.ok(fn, `function ${functionName} is not registered`);
  const method = fn.trigger.methods[0];
  const params = id === undefined ? {} : { id: String(id) };
  const route = fn.trigger.route.replace('{id}', encodeURIComponent(params.id ?? ''));
  const url = new URL(`http://localhost:7071/api/${route}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
  const init = { method, url: url.href, headers, params };
  if (body !== undefined) init.body = { string: typeof body === 'string' ? body : JSON.stringify(body) };
  const logs = [];
  const context = new InvocationContext({
    functionName,
    invocationId: randomUUID(),
    logHandler: (level, ...args) => logs.push({ level, args }),
  });
  const result = await fn.handler(new HttpRequest(init), context);
  const response = result instanceof HttpResponse ? result : new HttpResponse(result);
  const text = await response.text();
  let json;
  if (text) json = JSON.parse(text);
  return { status: response.status, headers: response.headers, text, json, logs };
}

/** Asserts the contract's error shape: JSON, {error: {code, message, fields?}}, no stack trace. */
function assertError(res, status, code, fields, note = '') {
  const where = note ? `${note}: ` : '';
  assert.equal(res.status, status, `${where}expected ${status} ${code}, got ${res.status} ${res.text}`);
  assert.match(res.headers.get('content-type') || '', /^application\/json/, `${where}content-type`);
  assert.equal(res.json.error.code, code, where + res.text);
  assert.equal(typeof res.json.error.message, 'string');
  assert.doesNotMatch(res.text, /\n\s+at |\.js:\d+/, `${where}no stack trace in the response`);
  if (fields) assert.deepEqual(Object.keys(res.json.error.fields).sort(), [...fields].sort(), where + res.text);
}

const SYSTEM_PROPERTIES = ['_rid', '_self', '_etag', '_attachments', '_ts'];
function assertNoSystemProperties(item) {
  for (const key of SYSTEM_PROPERTIES) assert.ok(!(key in item), `item has system property ${key}`);
}

let counter = 0;
/** A valid value of a declared type; strings, numbers and timestamps differ on every call. */
function validValue(type) {
  counter += 1;
  switch (type) {
    case 'string':
      return `s-${randomUUID()}`;
    case 'number':
      return counter + 0.5;
    case 'boolean':
      return counter % 2 === 0;
    case 'timestamp':
      return new Date(Date.UTC(2026, 11, 7, 10, 0, counter % 60, counter % 1000)).toISOString();
    case 'array':
      return [counter, 'a', { b: true }];
    case 'object':
      return { n: counter, nested: { ok: true } };
    default:
      throw new Error(`unknown type ${type}`);
  }
}

/** Values that a declared type must reject (null is invalid for every type). */
const INVALID_VALUES = {
  string: [42, true, null, ['s'], { s: 1 }],
  number: ['42', true, null, [1], { n: 1 }],
  boolean: ['true', 1, null, [true]],
  timestamp: [
    'yesterday',
    '2026-12-07',
    '2026-12-07 10:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-12-07T24:00:00Z',
    '2026-12-07T10:00:00',
    1765101600000,
    null,
  ],
  array: [{}, 'a,b', 1, null],
  object: [[], 'o', 1, null],
};

/** A complete valid body for `entity` (every declared field except id). */
function validItem(entity, overrides = {}) {
  const item = {};
  for (const [name, type] of Object.entries(entity.fields)) {
    if (name !== 'id') item[name] = validValue(type);
  }
  return { ...item, ...overrides };
}

/** Query-string form of a partition key value (what a client puts in ?<pk>=). */
const queryValue = (value) => String(value);

const newId = () => `t-${randomUUID()}`;

let sdkClient;
/** Direct SDK access (same COSMOS connection string and app settings as the app under test). */
function containerOf(entity, tenant) {
  const { CosmosClient } = require('@azure/cosmos');
  sdkClient ??= new CosmosClient(process.env.COSMOS);
  const settings = entity.settings || entity.tenants[tenant];
  return sdkClient.database(process.env[settings.database]).container(process.env[settings.container]);
}

function closeClient() {
  sdkClient?.dispose();
}

/** Stores an item directly (so read/update/delete/list tests do not depend on a declared create). */
async function seed(entity, item, tenant) {
  const { resource } = await containerOf(entity, tenant).items.create(item);
  return resource;
}

/** Reads an item directly; undefined when absent. */
async function stored(entity, id, pkValue, tenant) {
  const { resource } = await containerOf(entity, tenant).item(id, pkValue).read();
  return resource;
}

/** Turns on (or off, with null) the cosmos-server fault injection (see test/cosmos-server.js). */
async function setFault(fault) {
  const url = process.env.BAAS_TEST_FAULTS_URL;
  const res = await fetch(url, fault ? { method: 'POST', body: JSON.stringify(fault) } : { method: 'DELETE' });
  assert.equal(res.status, 200);
}

module.exports = {
  api,
  loadApp,
  invoke,
  assertError,
  assertNoSystemProperties,
  validValue,
  validItem,
  INVALID_VALUES,
  queryValue,
  newId,
  containerOf,
  closeClient,
  seed,
  stored,
  setFault,
};
