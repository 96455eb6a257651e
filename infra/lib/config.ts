import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The infra workspace's own folder. */
export const INFRA_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Where `npm run bundle -w infra` puts the server's Lambda bundle (lambda.mjs). */
export const DEFAULT_LAMBDA_BUNDLE_DIR = join(INFRA_DIR, 'build', 'lambda');

/** A stand-in bundle that answers 503, so that the stack synthesizes before any build. */
export const PLACEHOLDER_LAMBDA_DIR = join(INFRA_DIR, 'placeholder-lambda');

/** The web app as `npm run build` makes it. */
export const DEFAULT_WEB_DIST_DIR = join(INFRA_DIR, '..', 'apps', 'web', 'dist');

export interface SourcePaths {
  lambdaBundleDir: string;
  /** True when the placeholder stands in for the server's bundle. */
  placeholder: boolean;
  webDistDir: string | undefined;
}

const hasEntry = (dir: string) =>
  ['lambda.js', 'lambda.mjs', 'lambda.cjs'].some((f) => existsSync(join(dir, f)));

/**
 * Where the Lambda bundle and the web pages come from: the context values `lambdaBundle` and
 * `webDist` (`cdk synth -c lambdaBundle=…`), else the environment's WAITROOM_LAMBDA_BUNDLE and
 * WAITROOM_WEB_DIST, else the default folders when they are built. `webDist=none` leaves the
 * pages out; a Lambda bundle that is not built yet is replaced by the placeholder.
 */
export function resolveSourcePaths(lookup: (name: string) => string | undefined): SourcePaths {
  const fromRepo = (path: string) => (isAbsolute(path) ? path : resolve(process.cwd(), path));

  let lambdaBundleDir = DEFAULT_LAMBDA_BUNDLE_DIR;
  const configuredBundle = lookup('lambdaBundle') ?? process.env.WAITROOM_LAMBDA_BUNDLE;
  if (configuredBundle) {
    lambdaBundleDir = fromRepo(configuredBundle);
    if (!hasEntry(lambdaBundleDir)) {
      throw new Error(`The Lambda bundle ${lambdaBundleDir} has no lambda.js or lambda.mjs`);
    }
  }
  const placeholder = !hasEntry(lambdaBundleDir);
  if (placeholder) lambdaBundleDir = PLACEHOLDER_LAMBDA_DIR;

  let webDistDir: string | undefined;
  const configuredWeb = lookup('webDist') ?? process.env.WAITROOM_WEB_DIST;
  if (configuredWeb === 'none') {
    webDistDir = undefined;
  } else if (configuredWeb) {
    webDistDir = fromRepo(configuredWeb);
    if (!existsSync(join(webDistDir, 'shopper.html'))) {
      throw new Error(`The web app ${webDistDir} is not built (no shopper.html)`);
    }
  } else if (existsSync(join(DEFAULT_WEB_DIST_DIR, 'shopper.html'))) {
    webDistDir = DEFAULT_WEB_DIST_DIR;
  }
  return { lambdaBundleDir, placeholder, webDistDir };
}
