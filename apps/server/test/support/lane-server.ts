/**
 * A lane (apps/server/src/plugins/lanes.ts) in front of a stand-in for Fastify's handler, on
 * a real HTTP server: the handler records the paths it was handed and answers `route`. For
 * the lanes' unit tests, which hold each lane to its promises to that handler.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { installLane, type Lane } from '../../src/plugins/lanes.js';
import { QueueTokens } from '../../src/security/queue-tokens.js';

/** The queue tokens the lanes under test issue and check. */
export const laneTokens = new QueueTokens('a-secret-of-at-least-thirty-two-characters', 3600);

/** The options every lane under test gets alike (its engine and presentation are the test's). */
export const LANE_BASICS = {
  queueTokens: laneTokens,
  securityHeaders: { 'x-content-type-options': 'nosniff' },
  record: () => {},
  trustsPeer: () => false,
  hsts: 'max-age=1',
};

const servers: Server[] = [];

/** `lane` serving on a port of its own; `routed` lists the paths the handler behind it got. */
export async function serveLane(lane: Lane): Promise<{ url: string; routed: string[] }> {
  const routed: string[] = [];
  const server = createServer((req, res) => {
    routed.push(req.url ?? '');
    res.end('route');
  });
  servers.push(server);
  installLane(server, lane);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, routed };
}

/** Closes every server `serveLane` started (after each test). */
export async function closeLaneServers(): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
}
