// Drives the join's lane of a built server in this process, without sockets, for
// bench/instructions/run.ts: a fake socket per connection takes the answers, so what runs is
// the server's own work for a join (the lane, the engine, the store, the journal, the queue
// token, the answer's headers and body), not the kernel's or a load generator's.
//
//   node bench/instructions/join-driver.mjs <checkout> <joins a round> <rounds>
//
// Before each round it prints `round <k>` and waits for a line on stdin; after it, `done <k>`.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Duplex } from 'node:stream';
import { pathToFileURL } from 'node:url';

const [root = '.', perRound = '5000', roundCount = '2'] = process.argv.slice(2);
const dist = (path) => pathToFileURL(resolve(root, 'apps/server/dist', path)).href;
const { buildApp } = await import(dist('app.js'));
const { loadSettings } = await import(dist('settings.js'));

const dataDir = mkdtempSync(join(tmpdir(), 'waitroom-instructions-'));
const adminToken = 'i'.repeat(32);
const settings = loadSettings({
  DATA_DIR: dataDir,
  ADMIN_TOKEN: adminToken,
  LOG_LEVEL: 'warn',
  JOIN_LIMIT_PER_MINUTE: '1000000000',
  NODE_ENV: 'production',
});
const app = await buildApp({ settings });
await app.ready();
const created = await app.inject({
  method: 'POST',
  url: '/api/admin/rooms',
  headers: { authorization: `Bearer ${adminToken}` },
  payload: {
    id: 'instructions',
    name: 'instructions',
    admitRatePerMinute: 0,
    heartbeatTimeoutSeconds: 86400,
  },
});
if (created.statusCode !== 201) throw new Error(`room not created: ${created.statusCode} ${created.body}`);
const [handler] = app.server.listeners('request');

/** A connection that takes whatever is written to it. */
class Sink extends Duplex {
  _read() {}
  _write(_chunk, _encoding, callback) {
    callback();
  }
  _writev(_chunks, callback) {
    callback();
  }
}
const CONNECTIONS = 64;
const sockets = Array.from({ length: CONNECTIONS }, () => {
  const socket = new Sink({ decodeStrings: false });
  Object.defineProperty(socket, 'remoteAddress', { value: '127.0.0.1' });
  return socket;
});

function joinOnce(socket) {
  return new Promise((resolveAnswer) => {
    const req = new http.IncomingMessage(socket);
    req.method = 'POST';
    req.url = '/api/rooms/instructions/tickets';
    req.headers = { host: '127.0.0.1:3000', 'content-length': '0', connection: 'keep-alive' };
    req.complete = true;
    req.push(null);
    const res = new http.ServerResponse(req);
    res.assignSocket(socket);
    res.on('finish', () => {
      res.detachSocket(socket);
      resolveAnswer(res.statusCode);
    });
    handler(req, res);
  });
}

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const n = Number(perRound);
for (let round = 0; round < Number(roundCount); round++) {
  console.log(`round ${round}`);
  await lines.next();
  let started = 0;
  await Promise.all(
    sockets.map(async (socket) => {
      while (started < n) {
        started++;
        const status = await joinOnce(socket);
        if (status !== 201) throw new Error(`a join was answered ${status}`);
      }
    }),
  );
  console.log(`done ${round}`);
}
await app.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
