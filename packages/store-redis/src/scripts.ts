import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The store's atomic steps, one Lua file per step in ../lua, each using lua/lib.lua. They
 * reach Redis in one of two forms:
 *
 * - a Redis function library (Redis 7+, Valkey): lib.lua and every step loaded once with
 *   FUNCTION LOAD and called with FCALL, so that the library's set-up is not run again on
 *   every call;
 * - plain scripts (Redis 6.2): each step with lib.lua in front, called with EVALSHA.
 *
 * Every step takes one key, the room's base `<prefix>{<roomId>}:`; the keys it uses are below
 * it and share its hash tag (see lib.lua), so that in a cluster each step runs on the node that
 * holds the room.
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
  'lottery-result',
] as const;

export type ScriptName = (typeof SCRIPT_NAMES)[number];

/** Each step takes one key: the room's base, under which lib.lua names the room's keys. */
export const ROOM_KEY_COUNT = 1;

const LUA_DIR = new URL('../lua/', import.meta.url);

export interface StoreScripts {
  /** Each step as a plain script, lib.lua in front. */
  scripts: Record<ScriptName, string>;
  /** The whole library for FUNCTION LOAD; its name carries a hash of its code. */
  library: string;
  /** The FCALL name of each step in `library`. */
  functions: Record<ScriptName, string>;
}

export function loadScripts(): StoreScripts {
  const lib = readFileSync(new URL('lib.lua', LUA_DIR), 'utf8');
  const bodies = {} as Record<ScriptName, string>;
  for (const name of SCRIPT_NAMES) bodies[name] = readFileSync(new URL(`${name}.lua`, LUA_DIR), 'utf8');

  // The library's name changes with its code, so that instances of two versions running side
  // by side during an upgrade each call their own.
  const hash = createHash('sha256');
  hash.update(lib);
  for (const name of SCRIPT_NAMES) hash.update(bodies[name]);
  const version = hash.digest('hex').slice(0, 12);

  const scripts = {} as Record<ScriptName, string>;
  const functions = {} as Record<ScriptName, string>;
  const registrations: string[] = [];
  for (const name of SCRIPT_NAMES) {
    scripts[name] = `${lib}\nbind(KEYS)\n-- ---- ${name}.lua ----\n${bodies[name]}`;
    const fn = `waitroom_${version}_${name.replaceAll('-', '_')}`;
    functions[name] = fn;
    registrations.push(
      `-- ---- ${name}.lua ----\nredis.register_function('${fn}', function(KEYS, ARGV)\nbind(KEYS)\n${bodies[name]}\nend)`,
    );
  }
  const library = `#!lua name=waitroom_${version}\n${lib}\n${registrations.join('\n')}\n`;
  return { scripts, library, functions };
}
