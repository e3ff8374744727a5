'use strict';
// `npm test`: starts the local Cosmos DB (test/cosmos-server.js), creates the databases and
// containers that src/baas/api.json points at, then runs test/*.test.js with `node --test` in a
// child process: NODE_EXTRA_CA_CERTS (trust in the test CA) is only read when a process starts.
// Extra arguments go to `node --test` (e.g. npm test -- --test-name-pattern=Task).

const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { CosmosClient } = require('@azure/cosmos');
const cosmosServer = require('./cosmos-server');
const api = require('../src/baas/api.json');

/** Every (database, container) setting pair of the table: `settings`, or each tenant's entry. */
function settingsOf(entity) {
  return entity.settings ? [entity.settings] : Object.values(entity.tenants || {});
}

// Test value of an app setting: derived from its name, e.g. TASKS_ACME_DATABASE -> tasks-acme-database.
const valueOf = (setting) => setting.toLowerCase().replace(/_/g, '-');

async function main() {
  const cosmos = await cosmosServer.start();
  const env = {
    ...process.env,
    COSMOS: cosmos.connectionString,
    NODE_EXTRA_CA_CERTS: cosmos.caPath,
    BAAS_TEST_FAULTS_URL: cosmos.faultsUrl,
  };
  try {
    // This process does not trust the test CA (see above), so it passes it to the SDK's agent.
    const client = new CosmosClient({
      endpoint: cosmos.endpoint,
      key: cosmos.key,
      agent: new https.Agent({ ca: cosmos.caPem }),
    });
    for (const entity of api.entities) {
      for (const settings of settingsOf(entity)) {
        env[settings.database] = valueOf(settings.database);
        env[settings.container] = valueOf(settings.container);
        const { database } = await client.databases.createIfNotExists({ id: env[settings.database] });
        await database.containers.createIfNotExists({
          id: env[settings.container],
          partitionKey: { paths: [`/${entity.partition_key}`], kind: 'Hash', version: 2 },
        });
      }
    }
    client.dispose();

    const files = fs
      .readdirSync(__dirname)
      .filter((f) => f.endsWith('.test.js'))
      .sort()
      .map((f) => path.join(__dirname, f));
    const args = ['--test', ...process.argv.slice(2), ...files];
    const code = await new Promise((resolve) => {
      spawn(process.execPath, args, { env, stdio: 'inherit' }).on('exit', (c, signal) => resolve(signal ? 1 : c));
    });
    process.exitCode = code;
  } finally {
    await cosmos.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
