'use strict';
// A local Cosmos DB for tests: @vercel/cosmosdb-server over HTTPS on loopback.
//
// As a module: `await start()` -> { connectionString, caPath, endpoint, close() } (used by test/run.js).
// As a script (`npm run cosmos-server`): prints ONE JSON line
//   {"COSMOS": "AccountEndpoint=https://127.0.0.1:PORT/;AccountKey=...;",
//    "NODE_EXTRA_CA_CERTS": "<ca.pem>", "REQUESTS_CA_BUNDLE": "<ca.pem>"}
// and serves until it gets SIGTERM/SIGINT (then it deletes its temporary certificate folder).
//
// Why HTTPS with a fresh certificate: the SDKs discover the account's endpoints from the server and
// expect https; the certificate bundled with cosmosdb-server expired in 2021. We make a throwaway CA
// and a server certificate for 127.0.0.1/localhost signed by it (with the extensions that strict
// X.509 verification, e.g. Python 3.13's default, insists on); clients trust the CA file.
//
// Test-only fault injection (both SDKs can be tested against real throttling responses):
//   POST   /_baas/faults {"status": 429, "retryAfterMs": 10}  -> every later request on documents
//          (path containing /docs) is answered with that status and `x-ms-retry-after-ms` header;
//   DELETE /_baas/faults                                       -> back to normal.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { webcrypto } = require('node:crypto');
const x509 = require('@peculiar/x509');

// Any base64 key is accepted by cosmosdb-server (it does not check signatures).
const ACCOUNT_KEY = Buffer.from('baas-local-cosmosdb-server-key').toString('base64');
const FAULTS_PATH = '/_baas/faults';

function toPem(label, der) {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64.trimEnd()}\n-----END ${label}-----\n`;
}

async function makeCertificates() {
  x509.cryptoProvider.set(webcrypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const notBefore = new Date(Date.now() - 60 * 60 * 1000); // tolerate small clock skew
  const notAfter = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000);
  const K = x509.KeyUsageFlags;

  const caKeys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=baas local test CA',
    keys: caKeys,
    notBefore,
    notAfter,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(K.keyCertSign | K.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    subject: 'CN=127.0.0.1',
    issuer: ca.subject,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    notBefore,
    notAfter,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(K.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'ip', value: '127.0.0.1' },
        { type: 'dns', value: 'localhost' },
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  return {
    caPem: ca.toString('pem') + '\n',
    certPem: cert.toString('pem') + '\n',
    keyPem: toPem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
  };
}

// cosmosdb-server 1.0.1 bug: a partitioned point read of a missing document crashes in
// lib/handler/read-document.js (it reads a property of the `null` document) and answers 500
// instead of 404; the Python SDK and @azure/cosmos both take that path. The router module's
// `default` export is looked up on every request (lib/index.js calls `routes_1.default(req)`),
// so we wrap it at runtime and answer 404 for a missing document before the buggy handler runs.
// node_modules stays untouched.
let readDocumentPatched = false;
function patchReadDocument() {
  if (readDocumentPatched) return;
  const routes = require('@vercel/cosmosdb-server/lib/routes');
  const readDocument = require('@vercel/cosmosdb-server/lib/handler/read-document').default;
  const partitionHeader = require('@vercel/cosmosdb-server/lib/utils/get-partition-from-header');
  const route = routes.default;
  const notFound = (account, req, res) => {
    res.statusCode = 404;
    return { code: 'NotFound', message: 'Entity with the specified id does not exist in the system.' };
  };
  routes.default = (req) => {
    const found = route(req);
    if (!found || found[1] !== readDocument) return found;
    const [params] = found;
    const handler = (account, req2, res, { dbId, collId, docId }) => {
      const collection = account.database(dbId).collection(collId);
      if (collection.read()) {
        const partitionKey = partitionHeader.parsePartitionKey(partitionHeader.default(req2), docId);
        if (!collection.document(docId, partitionKey).read()) return notFound(account, req2, res);
      }
      return readDocument(account, req2, res, { dbId, collId, docId });
    };
    return [params, handler];
  };
  readDocumentPatched = true;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// Puts the fault-injection switch in front of cosmosdb-server's request handler.
function addFaultInjection(server) {
  let fault = null;
  const [cosmos] = server.listeners('request');
  server.removeAllListeners('request');
  server.on('request', async (req, res) => {
    const pathname = new URL(req.url, 'https://localhost').pathname;
    if (pathname === FAULTS_PATH) {
      if (req.method === 'POST') {
        const { status = 429, retryAfterMs = 10 } = JSON.parse((await readBody(req)) || '{}');
        fault = { status, retryAfterMs };
      } else if (req.method === 'DELETE') {
        fault = null;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ fault }));
      return;
    }
    if (fault && pathname.includes('/docs')) {
      res.writeHead(fault.status, {
        'content-type': 'application/json',
        'x-ms-retry-after-ms': String(fault.retryAfterMs),
        'x-ms-substatus': '3200',
      });
      res.end(JSON.stringify({ code: 'TooManyRequests', message: 'Injected fault (test)' }));
      return;
    }
    cosmos(req, res);
  });
}

async function start({ host = '127.0.0.1', port = 0 } = {}) {
  patchReadDocument();
  const { createHttpsServer } = require('@vercel/cosmosdb-server');
  const { caPem, certPem, keyPem } = await makeCertificates();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baas-cosmos-'));
  const caPath = path.join(dir, 'ca.pem');
  fs.writeFileSync(caPath, caPem);

  const server = createHttpsServer({ cert: certPem, key: keyPem, keepAlive: true });
  addFaultInjection(server);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });

  const endpoint = `https://${host}:${server.address().port}/`;
  let closed = false;
  return {
    endpoint,
    key: ACCOUNT_KEY,
    connectionString: `AccountEndpoint=${endpoint};AccountKey=${ACCOUNT_KEY};`,
    caPem,
    caPath,
    faultsUrl: new URL(FAULTS_PATH, endpoint).href,
    async close() {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { start, FAULTS_PATH };

if (require.main === module) {
  start().then(
    (cosmos) => {
      process.stdout.write(
        JSON.stringify({
          COSMOS: cosmos.connectionString,
          NODE_EXTRA_CA_CERTS: cosmos.caPath,
          REQUESTS_CA_BUNDLE: cosmos.caPath,
        }) + '\n',
      );
      const stop = () => cosmos.close().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
