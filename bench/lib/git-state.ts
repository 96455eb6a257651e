import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The commit checked out, whether the work tree differed from it, and when the server under
 * test was last built: the newest file of apps/server/dist and of each package's dist (a
 * change to one package rebuilds only that package). A build older than the commit is not
 * that commit's code.
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
  const dists = [join(root, 'apps', 'server', 'dist')];
  try {
    for (const name of readdirSync(join(root, 'packages'))) dists.push(join(root, 'packages', name, 'dist'));
  } catch {
    // No packages folder: only the server counts.
  }
  let newest = 0;
  for (const dist of dists) newest = Math.max(newest, newestFileIn(dist));
  // Not built: the server would not have started either.
  const serverBuiltAt = newest > 0 ? new Date(newest).toISOString() : null;
  return { commit, dirty: status === null ? null : status !== '', serverBuiltAt };
}

/** The latest modification time (ms) of the files in a folder and its subfolders; 0 when none. */
function newestFileIn(folder: string): number {
  let newest = 0;
  let entries: string[];
  try {
    entries = readdirSync(folder, { recursive: true, encoding: 'utf8' });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    try {
      const stat = statSync(join(folder, entry));
      if (stat.isFile()) newest = Math.max(newest, stat.mtimeMs);
    } catch {
      // Gone meanwhile.
    }
  }
  return newest;
}
