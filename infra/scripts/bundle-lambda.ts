/**
 * Bundles the server's Lambda entry (apps/server/dist/lambda.js, made by `npm run build`) and
 * everything it imports into one ES module, infra/build/lambda/lambda.mjs, with esbuild on this
 * machine (no Docker). The stack deploys that folder: `lambda.handler` and `lambda.tick`.
 *
 *   npm run build && npm run bundle -w infra [-- <entry.js> [<out dir>]]
 *
 * The AWS SDK v3 stays out: the Node.js runtime provides it. better-sqlite3's native addon is
 * not bundled either; it is only loaded for SQLite, which the deployed server never uses
 * (DATABASE_URL is always set there). The Redis store's Lua scripts are copied to lua/ beside
 * the bundle, and Swagger UI's static files to static/ (it reads its logo at start; its page
 * at /docs is not served, the HTTP API does not route /docs).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const infraDir = fileURLToPath(new URL('..', import.meta.url));
const entry = resolve(process.argv[2] ?? join(infraDir, '..', 'apps', 'server', 'dist', 'lambda.js'));
const outDir = resolve(process.argv[3] ?? join(infraDir, 'build', 'lambda'));

if (!existsSync(entry)) {
  console.error(`${relative(process.cwd(), entry)} is not there: run \`npm run build\` at the root first.`);
  process.exit(1);
}

/**
 * The Redis store reads its Lua scripts at run time from `../lua/` beside its code; in the
 * bundle they sit in `lua/` beside lambda.mjs.
 */
const LUA_DIR_SOURCE = "new URL('../lua/', import.meta.url)";
let luaDir: string | undefined;
const redisScripts: Plugin = {
  name: 'waitroom-redis-lua',
  setup(builder) {
    builder.onLoad({ filter: /store-redis[\\/](dist|src)[\\/]scripts\.(js|ts)$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(LUA_DIR_SOURCE)) {
        throw new Error(`${args.path} no longer reads ${LUA_DIR_SOURCE}: update the bundle script`);
      }
      luaDir = join(dirname(args.path), '..', 'lua');
      return {
        contents: source.replace(LUA_DIR_SOURCE, "new URL('./lua/', import.meta.url)"),
        loader: args.path.endsWith('.ts') ? 'ts' : 'js',
      };
    });
  },
};

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const outfile = join(outDir, 'lambda.mjs');

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'none',
  external: ['@aws-sdk/*'],
  // CommonJS packages inside an ES module still call require() and read __dirname.
  banner: {
    js: [
      "import { createRequire as __waitroomCreateRequire } from 'node:module';",
      "import { dirname as __waitroomDirname } from 'node:path';",
      "import { fileURLToPath as __waitroomFileURLToPath } from 'node:url';",
      'const require = __waitroomCreateRequire(import.meta.url);',
      'globalThis.__filename = __waitroomFileURLToPath(import.meta.url);',
      'globalThis.__dirname = __waitroomDirname(globalThis.__filename);',
    ].join('\n'),
  },
  plugins: [redisScripts],
  logLevel: 'warning',
});
if (luaDir !== undefined) cpSync(luaDir, join(outDir, 'lua'), { recursive: true });
// Swagger UI reads its logo from `static/` beside its code (here: beside lambda.mjs) at start.
const swaggerUi = join(infraDir, '..', 'node_modules', '@fastify', 'swagger-ui', 'static');
if (existsSync(swaggerUi)) cpSync(swaggerUi, join(outDir, 'static'), { recursive: true });

const size = (statSync(outfile).size / 1024 / 1024).toFixed(1);
console.log(`${relative(process.cwd(), outfile)} (${size} MB) from ${relative(process.cwd(), entry)}`);
