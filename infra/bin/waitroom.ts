import { Annotations, App } from 'aws-cdk-lib';
import { resolveSourcePaths } from '../lib/config.js';
import { WaitroomStack } from '../lib/waitroom-stack.js';

// No account and no region: the template is the same for any, and synthesizing it needs no
// AWS credentials and makes no lookups. `cdk deploy` takes both from the AWS profile.
const app = new App();
const context = (name: string): string | undefined => {
  const value = app.node.tryGetContext(name);
  return value === undefined ? undefined : String(value);
};
const number = (name: string) => (context(name) === undefined ? undefined : Number(context(name)));
const flag = (name: string) => (context(name) === undefined ? undefined : context(name) === 'true');

const paths = resolveSourcePaths(context);
const stack = new WaitroomStack(app, context('stackName') ?? 'Waitroom', {
  description: 'Waitroom: a virtual waiting room with flash-sale ordering',
  lambdaBundleDir: paths.lambdaBundleDir,
  webDistDir: paths.webDistDir,
  natGateways: number('natGateways'),
  cacheNodes: number('cacheNodes'),
  databaseMultiAz: flag('databaseMultiAz'),
  deletionProtection: flag('deletionProtection'),
});
if (paths.placeholder) {
  Annotations.of(stack).addWarning(
    'The Lambda code is the placeholder (it answers 503): run `npm run build && npm run bundle -w infra` before deploying.',
  );
}
if (paths.webDistDir === undefined) {
  Annotations.of(stack).addInfo('No web pages are uploaded: apps/web/dist is not built (or webDist=none).');
}
app.synth();
