'use strict';
// test/cosmos-server.js itself (the Python tests and CI use it too): the script's output line,
// its certificate, its shutdown, and the read-document patch.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');
const { test } = require('node:test');
const { spawn } = require('node:child_process');
const { CosmosClient } = require('@azure/cosmos');

function get(url, options = {}) {
  return new Promise((resolve, reject) => {
    https
      .get(url, options, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      })
      .on('error', reject);
  });
}

test('the script prints one JSON line, serves HTTPS with a certificate the CA file validates, stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [path.join(__dirname, 'cosmos-server.js')], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: '' }, // trust only what the line says
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let out = '';
    for await (const chunk of child.stdout) {
      out += chunk;
      if (out.includes('\n')) break;
    }
    assert.ok(out.endsWith('\n'), 'one line');
    const line = JSON.parse(out);
    assert.deepEqual(Object.keys(line).sort(), ['COSMOS', 'NODE_EXTRA_CA_CERTS', 'REQUESTS_CA_BUNDLE']);
    const m = /^AccountEndpoint=(https:\/\/127\.0\.0\.1:\d+\/);AccountKey=[A-Za-z0-9+/]+=*;$/.exec(line.COSMOS);
    assert.ok(m, line.COSMOS);
    assert.equal(line.REQUESTS_CA_BUNDLE, line.NODE_EXTRA_CA_CERTS);
    const ca = fs.readFileSync(line.NODE_EXTRA_CA_CERTS, 'utf8');
    assert.match(ca, /^-----BEGIN CERTIFICATE-----\n/);

    // strict TLS verification (hostname 127.0.0.1 + chain to the CA file); GET / is the account
    const res = await get(m[1], { ca, agent: false });
    assert.equal(res.status, 200);
    assert.ok(JSON.parse(res.body).writableLocations[0].databaseAccountEndpoint.startsWith(m[1]));

    const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.ok(!fs.existsSync(line.NODE_EXTRA_CA_CERTS), 'the temporary certificate folder is removed');
  } finally {
    child.kill('SIGKILL');
  }
});

test('patched: a partitioned point read of a missing document is 404 (the request the Python SDK sends)', async () => {
  // @azure/cosmos always sends x-ms-documentdb-query-enablecrosspartition, which skips the crashing
  // code; azure-cosmos (Python) does not. This is its request, sent by hand.
  const client = new CosmosClient(process.env.COSMOS);
  const endpoint = /AccountEndpoint=([^;]+);/.exec(process.env.COSMOS)[1];
  try {
    const { database } = await client.databases.createIfNotExists({ id: 'baas-server-test' });
    const { container } = await database.containers.createIfNotExists({
      id: 'docs',
      partitionKey: { paths: ['/pk'], kind: 'Hash', version: 2 },
    });
    await container.items.upsert({ id: 'present', pk: 'p1' });
    const read = (id, pk) =>
      get(new URL(`dbs/baas-server-test/colls/docs/docs/${id}`, endpoint), {
        headers: { 'x-ms-documentdb-partitionkey': JSON.stringify([pk]) },
      });
    const missing = await read('missing', 'p1');
    assert.equal(missing.status, 404, missing.body);
    assert.equal(JSON.parse(missing.body).code, 'NotFound');
    const present = await read('present', 'p1');
    assert.equal(present.status, 200, present.body);
    assert.equal(JSON.parse(present.body).id, 'present');
    assert.equal((await read('present', 'p2')).status, 404);
  } finally {
    client.dispose();
  }
});
