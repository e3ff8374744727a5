'use strict';
// Stands in for `@azure/functions-core`, the module the Azure Functions Node.js worker provides at
// run time. Outside the host `@azure/functions` cannot find it and switches to "test mode", where
// app.http(), app.timer(), ... only print "Skipping call to register function" and register
// nothing. The worker hands the module out by wrapping Module.prototype.require
// (azure-functions-nodejs-worker src/setupCoreModule.ts); we do the same, so every registration,
// whatever its trigger, reaches registerFunction() with the metadata the host would index
// (bindings with route, methods, authLevel) and the handler the worker would call.

const Module = require('node:module');

let registrations;

/** Installs the stand-in once per process; returns the live list of {name, metadata, handler}. */
function installFakeCore() {
  if (registrations) return registrations;
  registrations = [];
  const core = {
    version: '3.0.0-baas-test',
    hostVersion: '4.0.0',
    registerFunction(metadata, handler) {
      const id = metadata.functionId || metadata.name;
      // The worker refuses duplicates the same way (src/coreApi/registerFunction.ts).
      if (registrations.some((r) => r.name === id)) {
        throw new Error(`A function with id "${id}" has already been registered.`);
      }
      const registration = { name: id, metadata, handler };
      registrations.push(registration);
      return { dispose: () => registrations.splice(registrations.indexOf(registration), 1) };
    },
    setProgrammingModel(model) {
      core.programmingModel = model;
    },
    getProgrammingModel() {
      return core.programmingModel;
    },
    registerHook() {
      return { dispose() {} };
    },
    log() {},
  };
  Module.prototype.require = new Proxy(Module.prototype.require, {
    apply(target, thisArg, args) {
      return args[0] === '@azure/functions-core' ? core : Reflect.apply(target, thisArg, args);
    },
  });
  return registrations;
}

/** The trigger binding of a registration (for http: type, methods, route, authLevel). */
function triggerOf(registration) {
  return Object.values(registration.metadata.bindings).find((b) => b.direction === 'in' && /Trigger$/.test(b.type));
}

module.exports = { installFakeCore, triggerOf };
