'use strict';
// test/functions.js (used by CI) and the package.json `main` glob: generated and user functions
// load together, the way the Azure Functions Node.js worker loads them.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test } = require('node:test');
const { execFileSync } = require('node:child_process');
const api = require('../src/baas/api.json');

const root = path.join(__dirname, '..');
const script = path.join(__dirname, 'functions.js');
const generated = [...(api.health ? [api.health.function] : []), ...api.entities.flatMap((e) => Object.values(e.operations))];

const run = (...args) => JSON.parse(execFileSync(process.execPath, [script, ...args], { encoding: 'utf8' }));

test('functions.js prints the sorted names of every registered function', () => {
  const names = run();
  assert.deepEqual(names, [...names].sort());
  assert.equal(new Set(names).size, names.length);
  for (const name of generated) assert.ok(names.includes(name), name);
});

test('the main glob loads src/baas/index.js and src/functions/*.js (not subfolders)', () => {
  const app = fs.mkdtempSync(path.join(os.tmpdir(), 'baas-app-'));
  try {
    fs.copyFileSync(path.join(root, 'package.json'), path.join(app, 'package.json'));
    fs.cpSync(path.join(root, 'src', 'baas'), path.join(app, 'src', 'baas'), { recursive: true });
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(app, 'node_modules'), 'dir');
    const functions = path.join(app, 'src', 'functions');
    fs.mkdirSync(path.join(functions, 'nested'), { recursive: true });
    const register = (name, trigger, options) =>
      `app.${trigger}(${JSON.stringify(name)}, { ...${options}, handler: async () => {} });\n`;
    const file = (name, ...registrations) =>
      fs.writeFileSync(path.join(functions, name), `const { app } = require('@azure/functions');\n${registrations.join('')}`);
    file('timer.js', register('user-timer', 'timer', `{ schedule: '0 */5 * * * *' }`));
    file(
      'service-bus.js',
      register('user-queue', 'serviceBusQueue', `{ queueName: 'q', connection: 'SB' }`),
      register('user-topic', 'serviceBusTopic', `{ topicName: 't', subscriptionName: 's', connection: 'SB' }`),
    );
    file('generic.js', register('user-generic', 'generic', `{ trigger: { type: 'customTrigger', name: 'x' } }`));
    file(path.join('nested', 'deep.js'), register('not-loaded', 'timer', `{ schedule: '* * * * * *' }`));
    fs.writeFileSync(path.join(functions, 'notes.md'), '# not code\n');

    const expected = [...generated, 'user-timer', 'user-queue', 'user-topic', 'user-generic'].sort();
    assert.deepEqual(run(app), expected);
  } finally {
    fs.rmSync(app, { recursive: true, force: true });
  }
});

test('main is exactly the documented combination of a root file and src/functions/*.js', () => {
  assert.equal(require('../package.json').main, 'src/{baas/index.js,functions/*.js}');
});
