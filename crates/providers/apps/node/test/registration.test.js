'use strict';
// What src/baas/index.js registers: exactly the declared operations (with the contract's method,
// route and auth level) plus the anonymous health probe, and nothing else.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { api, loadApp, invoke } = require('./helpers');

// The platform authenticates callers when the backend has `auth`: then no function key.
const CRUD_AUTH_LEVEL = api.platform_auth ? 'anonymous' : 'function';

const ROUTES = {
  create: ['POST', (p) => p],
  read: ['GET', (p) => `${p}/{id}`],
  update: ['PUT', (p) => `${p}/{id}`],
  delete: ['DELETE', (p) => `${p}/{id}`],
  list: ['GET', (p) => p],
};

test('api.json says whether the platform signs callers in', () => {
  assert.equal(typeof api.platform_auth, 'boolean');
});

test('only the declared operations and health are registered', () => {
  const expected = [...(api.health ? [api.health.function] : []), ...api.entities.flatMap((e) => Object.values(e.operations))].sort();
  assert.deepEqual(Object.keys(loadApp()).sort(), expected);
});

for (const entity of api.entities) {
  for (const [operation, name] of Object.entries(entity.operations)) {
    test(`${name}: ${operation} is ${ROUTES[operation][0]} api/${ROUTES[operation][1](entity.plural)}, auth level ${CRUD_AUTH_LEVEL}`, () => {
      const { trigger, metadata } = loadApp()[name];
      assert.equal(trigger.type, 'httpTrigger');
      assert.deepEqual(trigger.methods, [ROUTES[operation][0]]);
      assert.equal(trigger.route, ROUTES[operation][1](entity.plural));
      assert.equal(trigger.authLevel, CRUD_AUTH_LEVEL);
      // the HTTP response goes out through the `$return` binding
      assert.equal(metadata.bindings.$return.type, 'http');
    });
  }
}

test('health: anonymous GET api/<route> answering 200 {"status":"ok"} without Cosmos DB', { skip: !api.health && 'this app serves no HTTP: no health function' }, async () => {
  const { trigger } = loadApp()[api.health.function];
  assert.equal(trigger.type, 'httpTrigger');
  assert.deepEqual(trigger.methods, ['GET']);
  assert.equal(trigger.route, api.health.route);
  assert.equal(trigger.authLevel, 'anonymous');

  const saved = process.env.COSMOS;
  delete process.env.COSMOS; // no Cosmos DB configuration at all
  try {
    const res = await invoke(api.health.function);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(res.json, { status: 'ok' });
  } finally {
    process.env.COSMOS = saved;
  }
});
