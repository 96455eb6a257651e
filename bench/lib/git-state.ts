import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The commit checked out, whether the work tree differed from it, and when the server under
 * test was built (apps/server/dist): a build older than the commit is not that commit's code.
 */
export function gitState(root: string): {
  commit: string | null;
  dirty: boolean | null;
  serverBuiltAt: string | null;
} {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  };
  const commit = git(['rev-parse', 'HEAD']);
  const status = git(['status', '--porcelain']);
  let serverBuiltAt: string | null = null;
  try {
    serverBuiltAt = statSync(join(root, 'apps', 'server', 'dist', 'app.js')).mtime.toISOString();
  } catch {
    // Not built: the server would not have started either.
  }
  return { commit, dirty: status === null ? null : status !== '', serverBuiltAt };
}
