'use strict';
// Unit tests of src/baas/crud.js that need no database: error mapping with real @azure/cosmos
// ErrorResponse objects (e.g. the retry-after of a 429 in whole seconds, which the end-to-end
// throttling test can only check with a tiny retry-after), type checks, query-string conversion.

const assert = require('node:assert/strict');
const { test } = require('node:test');
require('./helpers'); // installs the @azure/functions-core stand-in before @azure/functions loads
const { ErrorResponse } = require('@azure/cosmos');
const { HttpResponse, InvocationContext } = require('@azure/functions');
const { errorResponse, fromQuery, isTimestamp, preferredRegions, validateItem, ApiError } = require('../src/baas/crud');

function mapped(err) {
  const logs = [];
  const context = new InvocationContext({ logHandler: (level, ...args) => logs.push({ level, args }) });
  const response = new HttpResponse(errorResponse(err, context, 'Task read'));
  return { response, logs };
}

function cosmosError(code, extra = {}) {
  const err = new ErrorResponse(`Cosmos DB said ${code}`);
  return Object.assign(err, { code }, extra);
}

test('429 -> 503 throttled, Retry-After from the SDK retry-after rounded up to seconds, else 1', async () => {
  for (const [ms, header] of [[2500, '3'], [1000, '1'], [1, '1'], [undefined, '1'], [0, '1']]) {
    const { response } = mapped(cosmosError(429, ms === undefined ? {} : { retryAfterInMs: ms }));
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), header, `retryAfterInMs ${ms}`);
    assert.deepEqual((await response.json()).error.code, 'throttled');
  }
});

test('404 -> not_found, 409 -> conflict; a missing container (404/1003) is internal', async () => {
  assert.equal(mapped(cosmosError(404)).response.status, 404);
  assert.equal((await mapped(cosmosError(409)).response.json()).error.code, 'conflict');
  const missing = mapped(cosmosError(404, { substatus: 1003 }));
  assert.equal(missing.response.status, 500);
  assert.equal(missing.logs[0].level, 'error');
});

test('anything else -> 500 internal: logged through the context, never returned', async () => {
  for (const err of [new Error('secret detail'), cosmosError(503), cosmosError(401), new TypeError('x is undefined')]) {
    const { response, logs } = mapped(err);
    assert.equal(response.status, 500);
    assert.equal(response.headers.get('content-type'), 'application/json');
    const text = await response.text();
    assert.deepEqual(JSON.parse(text), { error: { code: 'internal', message: 'internal error' } });
    assert.equal(logs.length, 1);
    assert.equal(logs[0].level, 'error');
    assert.equal(logs[0].args[1], err);
  }
});

test('ApiError keeps status, code, message and fields', async () => {
  const { response } = mapped(new ApiError(400, 'validation_failed', 'invalid Task', { a: 'must be a string' }));
  assert.equal(response.status, 400);
  assert.deepEqual(await response.json(), {
    error: { code: 'validation_failed', message: 'invalid Task', fields: { a: 'must be a string' } },
  });
});

test('RFC 3339 timestamps', () => {
  for (const ok of ['2026-12-07T10:00:00Z', '2026-12-07t10:00:00z', '2026-12-07T10:00:00.5+01:00', '2024-02-29T00:00:00-12:00']) {
    assert.ok(isTimestamp(ok), ok);
  }
  for (const bad of ['2026-12-07', '2026-12-07T10:00Z', '2026-12-07T10:00:00', '2026-12-07 10:00:00Z', '2025-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z', '2026-00-10T00:00:00Z', '2026-12-07T10:60:00Z', '2026-12-07T10:00:00+24:00', ' 2026-12-07T10:00:00Z', 20261207]) {
    assert.ok(!isTimestamp(bad), String(bad));
  }
});

test('query-string values are converted to the declared type of the partition key', () => {
  const entity = { entity: 'E', fields: { n: 'number', b: 'boolean', s: 'string', t: 'timestamp' } };
  assert.equal(fromQuery(entity, 'n', '42'), 42);
  assert.equal(fromQuery(entity, 'n', '-1.5e3'), -1500);
  assert.equal(fromQuery(entity, 'b', 'true'), true);
  assert.equal(fromQuery(entity, 'b', 'false'), false);
  assert.equal(fromQuery(entity, 's', '42'), '42');
  assert.equal(fromQuery(entity, 't', '2026-12-07T10:00:00Z'), '2026-12-07T10:00:00Z');
  assert.equal(fromQuery(entity, 'id', '7'), '7');
  for (const [field, raw] of [['n', 'abc'], ['n', ''], ['n', '0x10'], ['n', 'Infinity'], ['b', 'yes'], ['b', '1']]) {
    assert.throws(() => fromQuery(entity, field, raw), (e) => e.status === 400 && e.code === 'invalid_query' && field in e.fields);
  }
});

test('validateItem: the body id must equal the URL id; a missing one is taken from the URL', () => {
  const entity = { entity: 'E', partition_key: 'id', fields: { a: 'string' } };
  assert.deepEqual(validateItem(entity, { a: 'x' }, 'k1'), { a: 'x', id: 'k1' });
  assert.deepEqual(validateItem(entity, { a: 'x', id: 'k1' }, 'k1'), { a: 'x', id: 'k1' });
  assert.throws(() => validateItem(entity, { id: 'k2' }, 'k1'), (e) => e.code === 'validation_failed' && 'id' in e.fields);
  assert.throws(() => validateItem(entity, { __proto__: null, constructor: 1 }), (e) => 'constructor' in e.fields);
  assert.throws(() => validateItem(entity, JSON.parse('{"__proto__": 1}')), (e) => Object.hasOwn(e.fields, '__proto__'));
});

test('COSMOS_PREFERRED_REGIONS: the regions to prefer, nearest first; unset or empty: none', () => {
  assert.deepEqual(preferredRegions({ COSMOS_PREFERRED_REGIONS: 'West Europe,East US' }), ['West Europe', 'East US']);
  assert.deepEqual(preferredRegions({ COSMOS_PREFERRED_REGIONS: ' East US , ,West US 2' }), ['East US', 'West US 2']);
  assert.equal(preferredRegions({ COSMOS_PREFERRED_REGIONS: '' }), undefined);
  assert.equal(preferredRegions({}), undefined);
});
