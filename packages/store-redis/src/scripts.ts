import { readFileSync } from 'node:fs';

/**
 * The store's atomic steps, one Lua script per file in ../lua. Each is sent to Redis with
 * lua/lib.lua in front of it (scripts cannot include one another), and every one takes the
 * same nine keys of one room (see lib.lua), so that in a cluster each step runs on the node
 * that holds the room.
 */
export const SCRIPT_NAMES = [
  'create-room',
  'update-room',
  'join',
  'read-tickets',
  'leave',
  'complete',
  'admit',
  'admit-by-rate',
  'sweep',
  'lottery-read',
  'lottery-draw',
] as const;

export type ScriptName = (typeof SCRIPT_NAMES)[number];

/** How many keys each script takes (see lib.lua). */
export const ROOM_KEY_COUNT = 9;

const LUA_DIR = new URL('../lua/', import.meta.url);

/** The full source of each script, the library prepended. */
export function loadScripts(): Record<ScriptName, string> {
  const lib = readFileSync(new URL('lib.lua', LUA_DIR), 'utf8');
  const out = {} as Record<ScriptName, string>;
  for (const name of SCRIPT_NAMES) {
    out[name] = `${lib}\n-- ---- ${name}.lua ----\n${readFileSync(new URL(`${name}.lua`, LUA_DIR), 'utf8')}`;
  }
  return out;
}
