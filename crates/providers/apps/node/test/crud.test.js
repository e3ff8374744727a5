'use strict';
// The HTTP contract of the generated CRUD functions, for every entity of src/baas/api.json, against
// the local Cosmos DB started by test/run.js. Items are seeded and checked with the SDK directly,
// so each operation is tested whether or not the others are declared.

const assert = require('node:assert/strict');
const { describe, test, after } = require('node:test');
const h = require('./helpers');

const { api } = h;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

after(h.closeClient);

for (const entity of api.entities) {
  const ops = entity.operations;
  const pk = entity.partition_key;
  const pkIsId = pk === 'id';
  const pkType = pkIsId ? 'string' : entity.fields[pk];
  const tenants = entity.tenants ? Object.keys(entity.tenants) : [undefined];
  const tenant = tenants[0];
  const headers = tenant === undefined ? {} : { [api.tenant_header]: tenant };
  const fields = Object.keys(entity.fields).filter((f) => f !== 'id');

  const pkOf = (item) => (pkIsId ? item.id : item[pk]);
  const pkQuery = (item) => (pkIsId ? {} : { [pk]: h.queryValue(item[pk]) });
  const call = (op, req = {}) => h.invoke(ops[op], { headers, ...req });
  const seed = async (overrides = {}, t = tenant) => {
    const item = h.validItem(entity, { id: h.newId(), ...overrides });
    await h.seed(entity, item, t);
    return item;
  };
  // A partition key value different from item's (booleans have only two).
  const otherPk = (item) => (pkType === 'boolean' ? !item[pk] : h.validValue(pkType));
  const skip = (op) => !ops[op] && `${op} is not declared for ${entity.entity}`;
  // Ways to address an item by id: point operation (?<pk>=, or none needed when the partition key
  // is the id) and cross-partition lookup by id.
  const WAYS = pkIsId ? ['point'] : ['point', 'lookup'];
  const addressed = (how, item) => (how === 'point' ? pkQuery(item) : {});

  describe(`${entity.entity} (${entity.plural}, partition key ${pk}${entity.tenants ? ', per-tenant databases' : ''})`, () => {
    describe('create', { skip: skip('create') }, () => {
      test('201 with a generated UUID v4 id; stored; no system properties', async () => {
        const body = h.validItem(entity);
        const res = await call('create', { body });
        assert.equal(res.status, 201, res.text);
        assert.match(res.json.id, UUID_V4);
        assert.deepEqual(res.json, { ...body, id: res.json.id });
        h.assertNoSystemProperties(res.json);
        const doc = await h.stored(entity, res.json.id, pkOf(res.json), tenant);
        assert.ok(doc, 'the item is stored');
      });

      test('201 keeps a given id; the same id again is 409 conflict', async () => {
        const body = h.validItem(entity, { id: h.newId() });
        const res = await call('create', { body });
        assert.equal(res.status, 201, res.text);
        assert.equal(res.json.id, body.id);
        h.assertError(await call('create', { body }), 409, 'conflict');
      });

      test('400 invalid_body when the body is not a JSON object', async () => {
        for (const body of ['not json', '', '[]', 'null', '"text"', '42', 'true', '[{"a":1}]', '{"a":']) {
          h.assertError(await call('create', { body }), 400, 'invalid_body');
        }
      });

      for (const field of fields) {
        const type = entity.fields[field];
        test(`400 validation_failed for a wrong ${field} (${type})`, async () => {
          for (const value of h.INVALID_VALUES[type]) {
            const res = await call('create', { body: h.validItem(entity, { [field]: value }) });
            h.assertError(res, 400, 'validation_failed', [field]);
            assert.equal(typeof res.json.error.fields[field], 'string');
          }
        });
      }

      test('400 validation_failed for an invalid id', async () => {
        for (const id of [42, '', null, true, ['x'], 'a/b', 'a\\b', 'a?b', 'a#b']) {
          h.assertError(await call('create', { body: h.validItem(entity, { id }) }), 400, 'validation_failed', ['id']);
        }
      });

      test('400 validation_failed for fields outside the schema', async () => {
        const body = h.validItem(entity, { notAField: 1, _ts: 5 });
        h.assertError(await call('create', { body }), 400, 'validation_failed', ['notAField', '_ts']);
      });

      test('400 validation_failed when the partition key is missing', { skip: pkIsId && 'partition key is id' }, async () => {
        const body = h.validItem(entity);
        delete body[pk];
        h.assertError(await call('create', { body }), 400, 'validation_failed', [pk]);
      });

      test('400 names every invalid field at once', async () => {
        const body = { id: '', extra: 1 };
        for (const field of fields) body[field] = h.INVALID_VALUES[entity.fields[field]][0];
        h.assertError(await call('create', { body }), 400, 'validation_failed', ['id', 'extra', ...fields]);
      });

      test('valid values of every declared type are accepted', async () => {
        const samples = {
          timestamp: ['2026-12-07T10:00:00Z', '2026-12-07t10:00:00.123456+05:30', '2024-02-29T23:59:59-00:00'],
          number: [0, -1.5, 1e21],
          boolean: [true, false],
          string: ['', 'ünïcødé'],
          array: [[], [null, 1]],
          object: [{}, { a: null }],
        };
        for (const field of fields.filter((f) => f !== pk)) {
          for (const value of samples[entity.fields[field]]) {
            const res = await call('create', { body: h.validItem(entity, { [field]: value }) });
            assert.equal(res.status, 201, `${field}=${JSON.stringify(value)}: ${res.text}`);
            assert.deepEqual(res.json[field], value);
          }
        }
      });
    });

    describe('read', { skip: skip('read') }, () => {
      test('200 with the item, by point read and by cross-partition lookup', async () => {
        const item = await seed();
        for (const how of WAYS) {
          const res = await call('read', { id: item.id, query: addressed(how, item) });
          assert.equal(res.status, 200, `${how}: ${res.text}`);
          assert.deepEqual(res.json, item, how);
          h.assertNoSystemProperties(res.json);
        }
      });

      test('404 not_found for an absent id', async () => {
        const absent = h.validItem(entity, { id: h.newId() });
        for (const how of WAYS) {
          const res = await call('read', { id: absent.id, query: addressed(how, absent) });
          h.assertError(res, 404, 'not_found', undefined, how);
        }
      });

      test('404 when the query parameter names another partition', { skip: pkIsId && 'partition key is id' }, async () => {
        const item = await seed();
        const query = pkQuery({ [pk]: otherPk(item) });
        h.assertError(await call('read', { id: item.id, query }), 404, 'not_found');
      });

      test('400 partition_key_required when the id is in two partitions; the query parameter picks one', {
        skip: pkIsId && 'partition key is id',
      }, async () => {
        const id = h.newId();
        const a = await seed({ id });
        const b = await seed({ id, [pk]: otherPk(a) });
        h.assertError(await call('read', { id }), 400, 'partition_key_required');
        for (const item of [a, b]) {
          const res = await call('read', { id, query: pkQuery(item) });
          assert.equal(res.status, 200, res.text);
          assert.deepEqual(res.json, item);
        }
      });

      test(`400 invalid_query when ?${pk}= is not a ${pkType}`, {
        skip: !['number', 'boolean'].includes(pkType) && `partition key type ${pkType} takes any string`,
      }, async () => {
        h.assertError(await call('read', { id: h.newId(), query: { [pk]: 'abc' } }), 400, 'invalid_query', [pk]);
      });
    });

    describe('update', { skip: skip('update') }, () => {
      test('200 with the replaced item; the id comes from the URL; fields not sent are gone', async () => {
        const item = await seed();
        const body = pkIsId ? {} : { [pk]: item[pk] }; // the smallest valid body
        const res = await call('update', { id: item.id, body });
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.json, { ...body, id: item.id });
        h.assertNoSystemProperties(res.json);
        const doc = await h.stored(entity, item.id, pkOf(item), tenant);
        for (const field of fields.filter((f) => f !== pk)) assert.ok(!(field in doc), `${field} was replaced away`);

        const full = h.validItem(entity, { id: item.id, ...body });
        const again = await call('update', { id: item.id, body: full });
        assert.equal(again.status, 200, again.text);
        assert.deepEqual(again.json, full);
      });

      test('400 when the body id differs from the URL id', async () => {
        const item = await seed();
        const res = await call('update', { id: item.id, body: { ...item, id: h.newId() } });
        h.assertError(res, 400, 'validation_failed', ['id']);
      });

      test('404 not_found for an absent item', async () => {
        h.assertError(await call('update', { id: h.newId(), body: h.validItem(entity) }), 404, 'not_found');
      });

      test('400 for an invalid body (same validation as create)', async () => {
        const item = await seed();
        h.assertError(await call('update', { id: item.id, body: '[]' }), 400, 'invalid_body');
        h.assertError(await call('update', { id: item.id, body: { ...item, unknown: 1 } }), 400, 'validation_failed', ['unknown']);
        for (const field of fields) {
          const value = h.INVALID_VALUES[entity.fields[field]][0];
          h.assertError(await call('update', { id: item.id, body: { ...item, [field]: value } }), 400, 'validation_failed', [field]);
        }
        if (!pkIsId) {
          const { [pk]: _, ...withoutPk } = item;
          h.assertError(await call('update', { id: item.id, body: withoutPk }), 400, 'validation_failed', [pk]);
        }
      });
    });

    describe('delete', { skip: skip('delete') }, () => {
      test('204 with an empty body, by point delete and by cross-partition lookup', async () => {
        for (const how of WAYS) {
          const item = await seed();
          const res = await call('delete', { id: item.id, query: addressed(how, item) });
          assert.equal(res.status, 204, `${how}: ${res.text}`);
          assert.equal(res.text, '');
          assert.equal(await h.stored(entity, item.id, pkOf(item), tenant), undefined, `${how}: deleted`);
        }
      });

      test('404 not_found for an absent id', async () => {
        const absent = h.validItem(entity, { id: h.newId() });
        for (const how of WAYS) {
          const res = await call('delete', { id: absent.id, query: addressed(how, absent) });
          h.assertError(res, 404, 'not_found', undefined, how);
        }
      });

      test('400 partition_key_required when the id is in two partitions', { skip: pkIsId && 'partition key is id' }, async () => {
        const id = h.newId();
        const a = await seed({ id });
        const b = await seed({ id, [pk]: otherPk(a) });
        h.assertError(await call('delete', { id }), 400, 'partition_key_required');
        assert.ok(await h.stored(entity, id, pkOf(a), tenant));
        assert.equal((await call('delete', { id, query: pkQuery(b) })).status, 204);
        assert.ok(await h.stored(entity, id, pkOf(a), tenant), 'only the chosen item is deleted');
      });
    });

    describe('list', { skip: skip('list') }, () => {
      // Pages through GET <plural> with `query`; returns every page.
      async function pages(query) {
        const result = [];
        let continuationToken;
        do {
          const q = { ...query, ...(continuationToken ? { continuationToken } : {}) };
          const res = await call('list', { query: q });
          assert.equal(res.status, 200, res.text);
          assert.deepEqual(Object.keys(res.json).sort(), ['continuationToken', 'items']);
          res.json.items.forEach(h.assertNoSystemProperties);
          result.push(res.json.items);
          continuationToken = res.json.continuationToken;
          assert.ok(continuationToken === null || typeof continuationToken === 'string');
          assert.ok(result.length < 500, 'paging terminates');
        } while (continuationToken);
        return result;
      }

      test(`?${pk}= filters to one partition; limit and continuationToken page through it`, {
        skip: pkIsId && 'partition key is id',
      }, async () => {
        const first = await seed();
        const inPartition = [first];
        for (let i = 0; i < 4; i += 1) inPartition.push(await seed({ [pk]: first[pk] }));
        const elsewhere = await seed({ [pk]: otherPk(first) });
        const got = await pages({ [pk]: h.queryValue(first[pk]), limit: 2 });
        const items = got.flat();
        assert.ok(items.every((i) => i[pk] === first[pk]), 'only the chosen partition');
        assert.ok(!items.some((i) => i.id === elsewhere.id));
        assert.deepEqual(items.find((i) => i.id === first.id), first);
        if (pkType === 'boolean') {
          // only two partitions, shared with other tests: the seeded items are among the pages
          assert.ok(got.every((p) => p.length <= 2));
          for (const item of inPartition) assert.ok(items.some((i) => i.id === item.id));
        } else {
          assert.deepEqual(got.map((p) => p.length), [2, 2, 1]);
          assert.deepEqual(items.map((i) => i.id).sort(), inPartition.map((i) => i.id).sort());
        }
      });

      test('?id= filters to the partition of that id (the partition key is id)', { skip: !pkIsId && `partition key is ${pk}` }, async () => {
        const item = await seed();
        await seed();
        const res = await call('list', { query: { id: item.id } });
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.json, { items: [item], continuationToken: null });
      });

      test('without a filter, limit and continuationToken page across partitions', async () => {
        const seeded = [await seed(), await seed(), await seed()];
        const got = await pages({ limit: 2 });
        assert.ok(got.every((p) => p.length <= 2));
        const keys = got.flat().map((i) => JSON.stringify([i.id, pkOf(i)]));
        assert.equal(new Set(keys).size, keys.length, 'no item twice');
        for (const item of seeded) assert.ok(keys.includes(JSON.stringify([item.id, pkOf(item)])));
      });

      test('default limit is 100; 1 and 1000 are accepted', async () => {
        const count = (await pages({ limit: 1000 })).flat().length;
        for (let i = count; i <= 100; i += 1) await seed(); // more than 100 items
        assert.equal((await call('list')).json.items.length, 100);
        assert.equal((await call('list', { query: { limit: 1 } })).json.items.length, 1);
      });

      test('400 invalid_query for a limit outside 1..1000 or not an integer', async () => {
        for (const limit of ['0', '1001', '-1', 'abc', '1.5', '', ' 5', '1e2']) {
          h.assertError(await call('list', { query: { limit } }), 400, 'invalid_query', ['limit']);
        }
      });

      test('400 invalid_query for a continuationToken Cosmos DB rejects', async () => {
        // cosmosdb-server answers 400 for this token (it ignores a token that is not JSON at all).
        const res = await call('list', { query: { continuationToken: '{}', limit: 2 } });
        h.assertError(res, 400, 'invalid_query', ['continuationToken']);
      });

      test(`400 invalid_query when ?${pk}= is not a ${pkType}`, {
        skip: !['number', 'boolean'].includes(pkType) && `partition key type ${pkType} takes any string`,
      }, async () => {
        h.assertError(await call('list', { query: { [pk]: 'abc' } }), 400, 'invalid_query', [pk]);
      });
    });

    describe('tenancy', { skip: !entity.tenants && 'single database (settings)' }, () => {
      const requests = (item) => ({
        create: { body: h.validItem(entity) },
        read: { id: item.id, query: pkQuery(item) },
        update: { id: item.id, body: item },
        delete: { id: item.id, query: pkQuery(item) },
        list: {},
      });

      test(`400 tenant_required without the ${api.tenant_header} header`, async () => {
        const item = await seed();
        for (const [op, req] of Object.entries(requests(item)).filter(([op]) => ops[op])) {
          for (const hdrs of [{}, { [api.tenant_header]: '' }]) {
            h.assertError(await h.invoke(ops[op], { ...req, headers: hdrs }), 400, 'tenant_required', undefined, op);
          }
        }
      });

      test('400 unknown_tenant for a tenant not in the table', async () => {
        const item = await seed();
        for (const [op, req] of Object.entries(requests(item)).filter(([op]) => ops[op])) {
          for (const name of ['no-such-tenant', '__proto__', 'constructor', tenant.toUpperCase()]) {
            if (name === tenant) continue;
            const res = await h.invoke(ops[op], { ...req, headers: { [api.tenant_header]: name } });
            h.assertError(res, 400, 'unknown_tenant');
          }
        }
      });

      test('each tenant has its own database', { skip: tenants.length < 2 && 'only one tenant' }, async () => {
        const other = { [api.tenant_header]: tenants[1] };
        const item = await seed();
        if (ops.read) {
          assert.equal((await call('read', { id: item.id, query: pkQuery(item) })).status, 200);
          h.assertError(await h.invoke(ops.read, { id: item.id, query: pkQuery(item), headers: other }), 404, 'not_found');
        }
        if (ops.list) {
          const res = await h.invoke(ops.list, { query: { limit: 1000 }, headers: other });
          assert.ok(!res.json.items.some((i) => i.id === item.id));
        }
        if (ops.create) {
          const res = await h.invoke(ops.create, { body: h.validItem(entity), headers: other });
          assert.equal(res.status, 201);
          assert.ok(await h.stored(entity, res.json.id, pkOf(res.json), tenants[1]));
          assert.equal(await h.stored(entity, res.json.id, pkOf(res.json), tenant), undefined);
        }
      });
    });

    describe('errors', () => {
      const [op] = Object.keys(ops);
      const someRequest = async () => {
        const item = h.validItem(entity, { id: h.newId() });
        return call(op, op === 'list' ? {} : { id: item.id, query: pkQuery(item), body: item });
      };

      test('500 internal, logged, nothing leaked, when an app setting is missing', { skip: !op && 'no operation' }, async () => {
        const name = (entity.settings || entity.tenants[tenant]).container;
        const saved = process.env[name];
        delete process.env[name];
        try {
          const res = await someRequest();
          h.assertError(res, 500, 'internal');
          assert.equal(res.json.error.message, 'internal error');
          assert.ok(!res.text.includes(name), 'the cause stays in the log');
          assert.ok(res.logs.some((l) => l.level === 'error' && String(l.args.join(' ')).includes(name)), 'logged');
        } finally {
          process.env[name] = saved;
        }
      });

      test('Cosmos DB throttling (429, after the SDK retries) is 503 throttled with Retry-After', {
        skip: !op && 'no operation',
      }, async () => {
        await h.setFault({ status: 429, retryAfterMs: 5 });
        try {
          const res = await someRequest();
          h.assertError(res, 503, 'throttled');
          assert.equal(res.headers.get('retry-after'), '1'); // 5 ms rounded up to whole seconds
        } finally {
          await h.setFault(null);
        }
      });
    });
  });
}
