'use strict';
// Shared CRUD handlers for every entity of the generated table (api.json).
// The table is the only input; nothing here is specific to one backend.

const { randomUUID } = require('node:crypto');
const { CosmosClient } = require('@azure/cosmos');

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const SYSTEM_PROPERTIES = ['_rid', '_self', '_etag', '_attachments', '_ts'];
// Cosmos DB 404 sub-status for "the database or container does not exist": a configuration error,
// not a missing item.
const OWNER_RESOURCE_MISSING = 1003;

class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

const hasOwn = Object.hasOwn;
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// RFC 3339 date-time: 2026-12-07T10:00:00Z, 2026-12-07T10:00:00.123+01:00 ('T'/'Z' any case).
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;
function isTimestamp(v) {
  const m = typeof v === 'string' && RFC3339.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const [oh, om] = [m[8], m[9]].map((x) => Number(x || 0)); // offset, absent for 'Z'
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate(); // day 0 of next month
  // Second 60 is a leap second, which RFC 3339 allows.
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth && h <= 23 && mi <= 59 && s <= 60 && oh <= 23 && om <= 59;
}

// Declared field types: check + wording of the validation message.
const TYPES = {
  string: [(v) => typeof v === 'string', 'must be a string'],
  number: [(v) => typeof v === 'number' && Number.isFinite(v), 'must be a number'],
  boolean: [(v) => typeof v === 'boolean', 'must be a boolean'],
  timestamp: [isTimestamp, 'must be an RFC 3339 timestamp string'],
  array: [Array.isArray, 'must be an array'],
  object: [isObject, 'must be an object'],
};

// Cosmos DB ids cannot contain '/', '\', '?' or '#' (they could never be addressed by a route).
const isValidId = (v) => typeof v === 'string' && v.length > 0 && !/[/\\?#]/.test(v);
const ID_MESSAGE = "must be a non-empty string without '/', '\\', '?' or '#'";

/** Fails at startup (not per request) on a table this code cannot serve. */
function checkEntity(entity) {
  for (const [name, type] of Object.entries(entity.fields)) {
    if (!hasOwn(TYPES, type)) throw new Error(`api.json: field ${entity.entity}.${name} has unknown type "${type}"`);
  }
  const pk = entity.partition_key;
  // Cosmos DB partition key values are strings, numbers or booleans.
  if (pk !== 'id' && !['string', 'number', 'boolean', 'timestamp'].includes(entity.fields[pk])) {
    throw new Error(`api.json: partition key ${entity.entity}.${pk} must be a string, number, boolean or timestamp field`);
  }
}

/** Validates a request body against the entity's schema; returns the item to store. */
function validateItem(entity, body, routeId) {
  if (!isObject(body)) throw new ApiError(400, 'invalid_body', 'the request body must be a JSON object');
  const fields = Object.create(null); // so that a "__proto__" key is reported like any other
  for (const [name, value] of Object.entries(body)) {
    if (name === 'id') {
      if (!isValidId(value)) fields.id = ID_MESSAGE;
      else if (routeId !== undefined && value !== routeId) fields.id = 'must equal the id in the URL';
    } else if (!hasOwn(entity.fields, name)) {
      fields[name] = `is not a field of ${entity.entity}`;
    } else {
      const [check, message] = TYPES[entity.fields[name]];
      if (!check(value)) fields[name] = message; // null fails every check
    }
  }
  const pk = entity.partition_key;
  if (pk !== 'id' && !hasOwn(body, pk)) fields[pk] = 'is required (partition key)';
  if (Object.keys(fields).length > 0) {
    throw new ApiError(400, 'validation_failed', `invalid ${entity.entity}`, fields);
  }
  return routeId === undefined ? { ...body } : { ...body, id: routeId };
}

/** Converts a query-string value to the declared type of `field` (numbers and booleans). */
function fromQuery(entity, field, raw) {
  const type = field === 'id' ? 'string' : entity.fields[field];
  let value = raw;
  if (type === 'number') value = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : NaN;
  else if (type === 'boolean') value = raw === 'true' ? true : raw === 'false' ? false : undefined;
  if (value === undefined || Number.isNaN(value)) {
    throw new ApiError(400, 'invalid_query', `invalid query parameter ${field}`, { [field]: TYPES[type][1] });
  }
  return value;
}

function withoutSystemProperties(doc) {
  const item = { ...doc };
  for (const key of SYSTEM_PROPERTIES) delete item[key];
  return item;
}

// The regions of a geo-replicated account to read and write in, nearest first (display names,
// comma-separated: "West Europe,East US"); baas sets it in every region's app. Unset: the SDK
// uses the account's write region.
function preferredRegions(env = process.env) {
  const regions = (env.COSMOS_PREFERRED_REGIONS || '').split(',').map((r) => r.trim()).filter(Boolean);
  return regions.length ? regions : undefined;
}

function connectionPolicy(env = process.env) {
  const preferredLocations = preferredRegions(env);
  return preferredLocations ? { preferredLocations } : undefined;
}

// One client per process, created on first use (so loading the app never touches Cosmos DB).
let client;
function cosmosClient() {
  if (!client) {
    if (process.env.COSMOS) {
      client = new CosmosClient(process.env.COSMOS); // connection string: local, emulator, tests
    } else if (process.env.COSMOS__accountEndpoint) {
      // Managed identity. Required lazily: @azure/identity is only needed on this path.
      const { DefaultAzureCredential } = require('@azure/identity');
      const managedIdentityClientId = process.env.COSMOS__clientId; // user-assigned identity, if any
      client = new CosmosClient({
        endpoint: process.env.COSMOS__accountEndpoint,
        aadCredentials: new DefaultAzureCredential(managedIdentityClientId ? { managedIdentityClientId } : {}),
        connectionPolicy: connectionPolicy(),
      });
    } else {
      throw new Error('Cosmos DB is not configured: set COSMOS or COSMOS__accountEndpoint');
    }
  }
  return client;
}

/** Database and container of the request: from `settings`, or from the tenant's entry. */
function containerFor(api, entity, request) {
  let settings = entity.settings;
  if (!settings) {
    const tenant = request.headers.get(api.tenant_header);
    if (!tenant) throw new ApiError(400, 'tenant_required', `the ${api.tenant_header} header is required`);
    if (!hasOwn(entity.tenants, tenant)) throw new ApiError(400, 'unknown_tenant', `unknown tenant "${tenant}"`);
    settings = entity.tenants[tenant];
  }
  const database = process.env[settings.database];
  const container = process.env[settings.container];
  if (!database || !container) {
    throw new Error(`app settings ${settings.database} and ${settings.container} must be set`);
  }
  return cosmosClient().database(database).container(container);
}

/**
 * Finds the item addressed by GET/DELETE <plural>/{id}: returns its partition key value, reading it
 * from the query string (a point operation) or, without it, by a cross-partition query on the id.
 */
async function locate(entity, container, request) {
  const id = request.params.id;
  const pk = entity.partition_key;
  if (pk === 'id') return { id, pkValue: id };
  const raw = request.query.get(pk);
  if (raw !== null) return { id, pkValue: fromQuery(entity, pk, raw) };

  // TOP 2: one match is the item, two means the id is not unique across partitions.
  const query = { query: 'SELECT TOP 2 * FROM c WHERE c.id = @id', parameters: [{ name: '@id', value: id }] };
  const { resources } = await container.items.query(query).fetchAll();
  if (resources.length === 0) throw notFound(entity, id);
  if (resources.length > 1) {
    throw new ApiError(400, 'partition_key_required', `several ${entity.entity} items have id "${id}"`, {
      [pk]: `required as a query parameter to choose the item`,
    });
  }
  return { id, pkValue: resources[0][pk], doc: resources[0] };
}

const notFound = (entity, id) => new ApiError(404, 'not_found', `${entity.entity} "${id}" not found`);
const json = (status, body, headers) => ({ status, jsonBody: body, headers });

function parseLimit(request) {
  const raw = request.query.get('limit');
  if (raw === null) return DEFAULT_LIMIT;
  const limit = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) {
    throw new ApiError(400, 'invalid_query', 'invalid query parameter limit', {
      limit: `must be an integer from 1 to ${MAX_LIMIT}`,
    });
  }
  return limit;
}

async function readJson(request) {
  const text = await request.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_body', 'the request body must be a JSON object');
  }
}

/** The five operations of one entity, as Azure Functions HTTP handlers. */
function makeHandlers(api, entity) {
  checkEntity(entity);
  const pk = entity.partition_key;

  const operations = {
    async create(request) {
      const container = containerFor(api, entity, request);
      const item = validateItem(entity, await readJson(request));
      if (item.id === undefined) item.id = randomUUID();
      const { resource } = await container.items.create(item);
      return json(201, withoutSystemProperties(resource));
    },

    async read(request) {
      const container = containerFor(api, entity, request);
      const { id, pkValue, doc } = await locate(entity, container, request);
      if (doc) return json(200, withoutSystemProperties(doc));
      const response = await container.item(id, pkValue).read(); // a missing item is not thrown
      if (!response.resource) {
        if (response.substatus === OWNER_RESOURCE_MISSING) throw new Error(`container not found (read ${id})`);
        throw notFound(entity, id);
      }
      return json(200, withoutSystemProperties(response.resource));
    },

    async update(request) {
      const container = containerFor(api, entity, request);
      const id = request.params.id;
      const item = validateItem(entity, await readJson(request), id);
      // replace (not upsert): PUT of an absent item is 404. The partition key comes from the body.
      const { resource } = await container.item(id, pk === 'id' ? id : item[pk]).replace(item);
      return json(200, withoutSystemProperties(resource));
    },

    async delete(request) {
      const container = containerFor(api, entity, request);
      const { id, pkValue } = await locate(entity, container, request);
      await container.item(id, pkValue).delete();
      return { status: 204 };
    },

    async list(request) {
      const container = containerFor(api, entity, request);
      const limit = parseLimit(request);
      const continuationToken = request.query.get('continuationToken') || undefined;
      const raw = request.query.get(pk);
      const options = { maxItemCount: limit, continuationToken };
      let query = { query: 'SELECT * FROM c', parameters: [] };
      if (raw !== null) {
        options.partitionKey = fromQuery(entity, pk, raw);
        query = {
          query: `SELECT * FROM c WHERE c[${JSON.stringify(pk)}] = @pk`,
          parameters: [{ name: '@pk', value: options.partitionKey }],
        };
      }
      let page;
      try {
        page = await container.items.query(query, options).fetchNext();
      } catch (err) {
        // A token we did not hand out is rejected by Cosmos DB (400) or by the SDK while parsing it.
        if (continuationToken && (err.code === 400 || /continuation token/i.test(err.message))) {
          throw new ApiError(400, 'invalid_query', 'invalid query parameter continuationToken', {
            continuationToken: 'is not a token returned by this API',
          });
        }
        throw err;
      }
      return json(200, {
        items: page.resources.map(withoutSystemProperties),
        continuationToken: page.continuationToken || null,
      });
    },
  };

  const handlers = {};
  for (const [name, operation] of Object.entries(operations)) {
    handlers[name] = async (request, context) => {
      try {
        return await operation(request);
      } catch (err) {
        return errorResponse(err, context, `${entity.entity} ${name}`);
      }
    };
  }
  return handlers;
}

/** Maps any error to the contract's JSON error; unexpected ones are logged, never returned. */
function errorResponse(err, context, what = 'request') {
  let error = err;
  const headers = {};
  if (!(err instanceof ApiError)) {
    // Cosmos DB errors (ErrorResponse) carry the HTTP status in `code`.
    if (err && err.code === 404 && err.substatus !== OWNER_RESOURCE_MISSING) {
      error = new ApiError(404, 'not_found', 'not found');
    } else if (err && err.code === 409) {
      error = new ApiError(409, 'conflict', 'an item with this id already exists');
    } else if (err && err.code === 429) {
      // The SDK has already retried; tell the client when to come back.
      const seconds = err.retryAfterInMs > 0 ? Math.ceil(err.retryAfterInMs / 1000) : 1;
      headers['Retry-After'] = String(seconds);
      error = new ApiError(503, 'throttled', 'the database is busy, retry later');
    } else {
      context.error(`${what} failed:`, err);
      error = new ApiError(500, 'internal', 'internal error');
    }
  }
  const body = { code: error.code, message: error.message };
  if (error.fields) body.fields = error.fields;
  return json(error.status, { error: body }, headers);
}

module.exports = { makeHandlers, errorResponse, validateItem, fromQuery, isTimestamp, preferredRegions, ApiError };
