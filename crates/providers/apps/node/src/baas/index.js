'use strict';
// Registers the generated functions (Azure Functions Node.js programming model v4):
// the operations each entity of api.json declares, and the health probe.
// package.json `main` loads this file and the user's own src/functions/*.js.

const { app } = require('@azure/functions');
const api = require('./api.json');
const { makeHandlers } = require('./crud');

// Operation -> HTTP method and route (below the host's `api` prefix).
const ROUTES = {
  create: ['POST', (plural) => plural],
  read: ['GET', (plural) => `${plural}/{id}`],
  update: ['PUT', (plural) => `${plural}/{id}`],
  delete: ['DELETE', (plural) => `${plural}/{id}`],
  list: ['GET', (plural) => plural],
};

// With App Service Authentication (`auth` in backend.yaml) the platform has checked the caller's
// token before a request reaches a function, so the CRUD routes need no function key, which a
// browser could not keep secret.
const crudAuthLevel = api.platform_auth ? 'anonymous' : 'function';

for (const entity of api.entities) {
  const handlers = makeHandlers(api, entity);
  for (const [operation, functionName] of Object.entries(entity.operations)) {
    if (!Object.hasOwn(ROUTES, operation)) throw new Error(`api.json: unknown operation "${operation}" for ${entity.entity}`);
    const [method, route] = ROUTES[operation];
    app.http(functionName, {
      methods: [method],
      route: route(entity.plural),
      authLevel: crudAuthLevel,
      handler: handlers[operation],
    });
  }
}

// Traffic Manager's probe: anonymous and independent of Cosmos DB. `health` is null for an app
// that serves no HTTP (timers and queues only): nothing probes it.
if (api.health) {
  app.http(api.health.function, {
    methods: ['GET'],
    route: api.health.route,
    authLevel: 'anonymous',
    handler: async () => ({ status: 200, jsonBody: { status: 'ok' } }),
  });
}
