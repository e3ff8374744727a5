#!/usr/bin/env node
'use strict';
// Prints the sorted JSON array of the function names the Azure Functions host would index for this
// project: package.json `main` is expanded the way the Node.js worker does it (globby 11 with the
// app folder as cwd, azure-functions-nodejs-worker src/startApp.ts), every file is loaded, and every
// registration (http, timer, serviceBusQueue, serviceBusTopic, generic, ...) is intercepted.
//
// Usage: node test/functions.js [app folder]   (default: the folder holding this package.json)
// Needs `npm ci` with dev dependencies (globby).

const path = require('node:path');
const { installFakeCore } = require('./fake-core');

function listFunctions(root) {
  const registrations = installFakeCore();
  const globby = require('globby');
  const { main } = require(path.join(root, 'package.json'));
  if (!main) throw new Error('package.json has no "main"');
  const files = globby.sync(main, { cwd: root });
  if (files.length === 0) throw new Error(`no file matches "main": ${main}`);
  for (const file of files) require(path.join(root, file));
  return registrations.map((r) => r.name).sort();
}

module.exports = { listFunctions };

if (require.main === module) {
  try {
    const root = path.resolve(process.argv[2] || path.join(__dirname, '..'));
    process.stdout.write(JSON.stringify(listFunctions(root)) + '\n');
  } catch (err) {
    console.error(`functions.js: ${err.message}`);
    process.exit(1);
  }
}
