import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { calculateJwkThumbprint } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_ARN_SETTINGS } from '../../apps/server/src/lambda.js';
import { loadSigningKeys } from '../../apps/server/src/security/signing-keys.js';
import { INFRA_DIR, PLACEHOLDER_LAMBDA_DIR, resolveSourcePaths } from '../lib/config.js';
import { SIGNING_KEYS_GENERATOR_CODE } from '../lib/signing-keys.js';
import { SECRET_ARN_VARIABLES, WaitroomStack, type WaitroomStackProps } from '../lib/waitroom-stack.js';
import { API_PATHS, PAGE_ROUTING_CODE } from '../lib/web-routing.js';

type Json = Record<string, unknown>;
type Resource = { Type: string; Properties: Json; DependsOn?: string[] };

const scratch = mkdtempSync(join(tmpdir(), 'waitroom-infra-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A small stand-in for apps/web/dist. */
function webDist(): string {
  const dir = join(scratch, 'web');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'shopper.html'), '<!doctype html><script src="/assets/shopper-1.js"></script>');
  writeFileSync(join(dir, 'admin.html'), '<!doctype html><script src="/assets/admin-1.js"></script>');
  writeFileSync(join(dir, 'assets', 'shopper-1.js'), 'console.log(1)');
  return dir;
}

function synth(props: Partial<WaitroomStackProps> = {}) {
  const app = new App({ outdir: mkdtempSync(join(scratch, 'cdk.out-')) });
  const stack = new WaitroomStack(app, 'Test', { lambdaBundleDir: PLACEHOLDER_LAMBDA_DIR, ...props });
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const id = (construct: { node: { defaultChild?: unknown } } | object) =>
    stack.getLogicalId(
      ('node' in construct && (construct as { node: { defaultChild?: unknown } }).node.defaultChild
        ? (construct as { node: { defaultChild: unknown } }).node.defaultChild
        : construct) as never,
    );
  return { stack, template, resources, id };
}

const ofType = (resources: Record<string, Resource>, type: string) =>
  Object.entries(resources).filter(([, r]) => r.Type === type);

const getAtt = (logicalId: string, attribute: string) => ({ 'Fn::GetAtt': [logicalId, attribute] });

describe('the synthesized stack', () => {
  let s: ReturnType<typeof synth>;
  let ids: {
    api: string;
    tick: string;
    lambdaSg: string;
    cacheSg: string;
    databaseSg: string;
    /** The logical ids of the secrets the functions read, by the setting each fills. */
    secrets: Record<string, string>;
    cacheAuthToken: string;
    cache: string;
  };

  beforeAll(() => {
    s = synth({ webDistDir: webDist() });
    const { stack, id } = s;
    ids = {
      api: id(stack.apiFunction),
      tick: id(stack.tickFunction),
      lambdaSg: id(stack.lambdaSecurityGroup),
      cacheSg: id(stack.cacheSecurityGroup),
      databaseSg: id(stack.databaseSecurityGroup),
      secrets: Object.fromEntries(
        Object.entries(stack.secrets).map(([name, secret]) => [name, stack.resolve(secret.secretArn).Ref]),
      ),
      cacheAuthToken: stack.resolve(stack.cacheAuthToken.secretArn).Ref,
      cache: ofType(s.resources, 'AWS::ElastiCache::ReplicationGroup')[0]![0],
    };
  });

  describe('has every part', () => {
    it('a VPC over two zones, with no way in from the internet', () => {
      s.template.resourceCountIs('AWS::EC2::VPC', 1);
      const subnets = ofType(s.resources, 'AWS::EC2::Subnet');
      expect(subnets).toHaveLength(4);
      const zones = new Set(subnets.map(([, r]) => JSON.stringify(r.Properties.AvailabilityZone)));
      expect(zones.size).toBe(2);
      for (const [, subnet] of subnets) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
      s.template.resourceCountIs('AWS::EC2::InternetGateway', 0);
      s.template.resourceCountIs('AWS::EC2::NatGateway', 0);
      s.template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: Match.objectLike({
          'Fn::Join': Match.arrayWith([Match.arrayWith(['.secretsmanager'])]),
        }),
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
      });
    });

    it('ElastiCache for Valkey, as a replication group with failover', () => {
      s.template.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 1);
      s.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        Engine: 'valkey',
        NumCacheClusters: 2,
        AutomaticFailoverEnabled: true,
        MultiAZEnabled: true,
        SecurityGroupIds: [getAtt(ids.cacheSg, 'GroupId')],
      });
      s.template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
        Properties: { 'maxmemory-policy': 'noeviction' },
      });
    });

    it('RDS for PostgreSQL, with backups', () => {
      s.template.resourceCountIs('AWS::RDS::DBInstance', 1);
      s.template.hasResourceProperties('AWS::RDS::DBInstance', {
        Engine: 'postgres',
        DBName: 'waitroom',
        BackupRetentionPeriod: 7,
        DeletionProtection: true,
        VPCSecurityGroups: [getAtt(ids.databaseSg, 'GroupId')],
      });
      s.template.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Snapshot' });
    });

    it('the API and tick functions on Node.js 22 or newer, from the one bundle', () => {
      for (const [logicalId, handler] of [
        [ids.api, 'lambda.handler'],
        [ids.tick, 'lambda.tick'],
      ] as const) {
        const props = s.resources[logicalId]!.Properties as Json;
        expect(props.Handler).toBe(handler);
        const runtime = String(props.Runtime);
        expect(runtime).toMatch(/^nodejs\d+\.x$/);
        expect(Number(runtime.match(/\d+/)?.[0])).toBeGreaterThanOrEqual(22);
      }
      // HTTP API calls end after 30 s; a tick run lasts about 55 s.
      expect((s.resources[ids.api]!.Properties as Json).Timeout).toBeLessThanOrEqual(29);
      expect((s.resources[ids.tick]!.Properties as Json).Timeout).toBeGreaterThan(55);
    });

    it('an HTTP API sending the API paths, and only those, to the API function', () => {
      s.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
      const routes = ofType(s.resources, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
      expect(routes.sort()).toEqual(
        [
          'ANY /api/{proxy+}',
          'GET /.well-known/{proxy+}',
          'GET /healthz',
          'GET /openapi.json',
          'GET /readyz',
        ].sort(),
      );
      s.template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: getAtt(ids.api, 'Arn'),
        PayloadFormatVersion: '2.0',
      });
    });

    it('an EventBridge rule starting the tick function every minute, without retries', () => {
      s.template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
        Targets: [
          Match.objectLike({
            Arn: getAtt(ids.tick, 'Arn'),
            RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 0 }),
          }),
        ],
      });
      s.template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: getAtt(ids.tick, 'Arn'),
        Principal: 'events.amazonaws.com',
      });
    });

    it('the secrets: six for the functions, and the Valkey token', () => {
      expect(Object.keys(ids.secrets).sort()).toEqual([
        'ADMIN_TOKEN',
        'CHALLENGE_HMAC_KEY',
        'DATABASE_URL',
        'QUEUE_TOKEN_SECRET',
        'REDIS_URL',
        'SIGNING_KEYS',
      ]);
      s.template.resourceCountIs('AWS::SecretsManager::Secret', 7);
      s.template.resourceCountIs('Custom::SigningKeys', 1);
    });

    it('each secret variable is one the Lambda handler reads, into the setting it is named after', () => {
      for (const [setting, variable] of Object.entries(SECRET_ARN_VARIABLES)) {
        expect(SECRET_ARN_SETTINGS).toHaveProperty(variable, setting);
      }
    });

    it('the challenge key: one generated secret, of a length the server takes (32 to 512)', () => {
      const secret = s.resources[ids.secrets.CHALLENGE_HMAC_KEY!]!;
      expect(secret.Type).toBe('AWS::SecretsManager::Secret');
      const generated = secret.Properties.GenerateSecretString as Json;
      expect(generated.PasswordLength).toBeGreaterThanOrEqual(32);
      expect(generated.PasswordLength).toBeLessThanOrEqual(512);
      // Plain text, not JSON: the whole value is the key.
      expect(generated.GenerateStringKey).toBeUndefined();
    });

    it('an S3 bucket behind CloudFront with Origin Access Control', () => {
      s.template.resourceCountIs('AWS::S3::Bucket', 1);
      s.template.resourceCountIs('AWS::CloudFront::Distribution', 1);
      s.template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: Match.objectLike({
          OriginAccessControlOriginType: 's3',
          SigningBehavior: 'always',
        }),
      });
    });

    it('the built pages uploaded: assets cached for good, pages never, then CloudFront invalidated', () => {
      const deployments = ofType(s.resources, 'Custom::CDKBucketDeployment');
      expect(deployments).toHaveLength(2);
      const byCache = Object.fromEntries(
        deployments.map(([logicalId, r]) => [
          String((r.Properties.SystemMetadata as Json)['cache-control']),
          { logicalId, props: r.Properties as Json, dependsOn: r.DependsOn ?? [] },
        ]),
      );
      expect(Object.keys(byCache).sort()).toEqual(['no-cache', 'public, max-age=31536000, immutable']);
      const pages = byCache['no-cache']!;
      const assets = byCache['public, max-age=31536000, immutable']!;
      expect(pages.props.Prune).toBe(false);
      expect(assets.props.Prune).toBe(false);
      expect(pages.props.DistributionPaths).toEqual(['/*']);
      expect(pages.dependsOn).toContain(assets.logicalId);
    });

    it('no upload when the web app is not built', () => {
      synth().template.resourceCountIs('Custom::CDKBucketDeployment', 0);
    });
  });

  describe('makes nothing public that should not be', () => {
    it('the bucket blocks all public access and is read by this distribution only', () => {
      s.template.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
      const [[, policy]] = ofType(s.resources, 'AWS::S3::BucketPolicy') as [[string, Resource]];
      const statements = (policy.Properties.PolicyDocument as { Statement: Json[] }).Statement;
      const allows = statements.filter((st) => st.Effect === 'Allow');
      expect(allows.length).toBeGreaterThan(0);
      for (const allow of allows) {
        expect(allow.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
        expect(allow.Action).toBe('s3:GetObject');
        expect(JSON.stringify(allow.Condition)).toContain('AWS:SourceArn');
      }
    });

    it('the database is not publicly accessible', () => {
      s.template.hasResourceProperties('AWS::RDS::DBInstance', { PubliclyAccessible: false });
    });

    it('no security group lets the internet in, anywhere in the stack', () => {
      const open = (rule: Json) => rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0';
      for (const [, group] of ofType(s.resources, 'AWS::EC2::SecurityGroup')) {
        for (const rule of (group.Properties.SecurityGroupIngress ?? []) as Json[])
          expect(open(rule)).toBe(false);
      }
      for (const [, rule] of ofType(s.resources, 'AWS::EC2::SecurityGroupIngress')) {
        expect(open(rule.Properties as Json)).toBe(false);
      }
    });

    it('Valkey and PostgreSQL are reached from the Lambda security group only, on their own port', () => {
      for (const [sg, port] of [
        [ids.cacheSg, 6379],
        [ids.databaseSg, 5432],
      ] as const) {
        const group = s.resources[sg]!;
        expect(group.Properties.SecurityGroupIngress).toBeUndefined();
        const ingress = ofType(s.resources, 'AWS::EC2::SecurityGroupIngress')
          .map(([, r]) => r.Properties as Json)
          .filter((rule) => JSON.stringify(rule.GroupId) === JSON.stringify(getAtt(sg, 'GroupId')));
        expect(ingress).toEqual([
          expect.objectContaining({
            IpProtocol: 'tcp',
            FromPort: port,
            ToPort: port,
            SourceSecurityGroupId: getAtt(ids.lambdaSg, 'GroupId'),
          }),
        ]);
        // They open nothing outwards either.
        expect(group.Properties.SecurityGroupEgress).toEqual([
          expect.objectContaining({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' }),
        ]);
      }
    });

    it('the HTTP API has no catch-all route (/metrics stays private)', () => {
      const routes = ofType(s.resources, 'AWS::ApiGatewayV2::Route').map(([, r]) =>
        String(r.Properties.RouteKey),
      );
      expect(routes).not.toContain('$default');
      expect(routes.some((route) => route.includes('metrics'))).toBe(false);
    });

    it('CloudFront serves HTTPS only', () => {
      const config = (ofType(s.resources, 'AWS::CloudFront::Distribution')[0]![1].Properties as Json)
        .DistributionConfig as Json;
      const behaviors = [config.DefaultCacheBehavior, ...(config.CacheBehaviors as Json[])] as Json[];
      for (const behavior of behaviors) {
        expect(['redirect-to-https', 'https-only']).toContain(behavior.ViewerProtocolPolicy);
      }
    });
  });

  describe('encrypts', () => {
    it('the database storage, and forces TLS on its connections', () => {
      s.template.hasResourceProperties('AWS::RDS::DBInstance', { StorageEncrypted: true });
      s.template.hasResourceProperties('AWS::RDS::DBParameterGroup', {
        Family: 'postgres17',
        Parameters: { 'rds.force_ssl': '1' },
      });
    });

    it('Valkey in transit (required) and at rest, with an AUTH token', () => {
      s.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        TransitEncryptionEnabled: true,
        TransitEncryptionMode: 'required',
        AtRestEncryptionEnabled: true,
        AuthToken: Match.anyValue(),
      });
    });

    it('the bucket, and refuses plain HTTP', () => {
      s.template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      });
      s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });
  });

  describe('keeps the secrets out of the template', () => {
    it('every secret is generated by Secrets Manager, none holds a value', () => {
      for (const [logicalId, secret] of ofType(s.resources, 'AWS::SecretsManager::Secret')) {
        if (logicalId === ids.secrets.REDIS_URL) continue;
        expect(secret.Properties.GenerateSecretString).toBeDefined();
        expect(secret.Properties.SecretString).toBeUndefined();
      }
    });

    it('REDIS_URL is made of the Valkey primary and a reference to the generated token', () => {
      const secret = s.resources[ids.secrets.REDIS_URL!]!.Properties;
      expect(secret.GenerateSecretString).toBeUndefined();
      const parts = (secret.SecretString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
      const literal = parts.filter((part): part is string => typeof part === 'string').join('');
      expect(literal).toBe(
        '{"REDIS_URL":"rediss://default:{{resolve:secretsmanager:' + ':SecretString:::}}@' + ':' + '"}',
      );
      expect(parts).toEqual([
        expect.any(String),
        { Ref: ids.cacheAuthToken },
        expect.any(String),
        getAtt(ids.cache, 'PrimaryEndPoint.Address'),
        expect.any(String),
        getAtt(ids.cache, 'PrimaryEndPoint.Port'),
        expect.any(String),
      ]);
    });

    it('the Valkey token and the database password are dynamic references to their secrets', () => {
      const cache = ofType(s.resources, 'AWS::ElastiCache::ReplicationGroup')[0]![1];
      const authToken = JSON.stringify(cache.Properties.AuthToken);
      expect(authToken).toContain('{{resolve:secretsmanager:');
      expect(authToken).toContain(ids.cacheAuthToken);
      const db = ofType(s.resources, 'AWS::RDS::DBInstance')[0]![1];
      expect(JSON.stringify(db.Properties.MasterUserPassword)).toContain('{{resolve:secretsmanager:');
    });

    it('the functions get the secrets’ ARNs, never their values', () => {
      const secretIds = Object.values(ids.secrets);
      for (const logicalId of [ids.api, ids.tick]) {
        const env = ((s.resources[logicalId]!.Properties as Json).Environment as { Variables: Json })
          .Variables;
        // The server's own names for the secrets are not set: it would take them as they are.
        for (const name of [
          'ADMIN_TOKEN',
          'QUEUE_TOKEN_SECRET',
          'SIGNING_KEYS',
          'CHALLENGE_HMAC_KEY',
          'DATABASE_URL',
          'REDIS_URL',
        ]) {
          expect(env).not.toHaveProperty(name);
        }
        const arns = Object.entries(env).filter(([name]) => name.endsWith('_SECRET_ARN'));
        expect(arns.map(([name]) => name).sort()).toEqual(
          [
            'ADMIN_TOKEN_SECRET_ARN',
            'CHALLENGE_HMAC_KEY_SECRET_ARN',
            'DATABASE_URL_SECRET_ARN',
            'QUEUE_TOKEN_SECRET_ARN',
            'REDIS_URL_SECRET_ARN',
            'SIGNING_KEYS_SECRET_ARN',
          ].sort(),
        );
        for (const [setting, variable] of Object.entries(SECRET_ARN_VARIABLES)) {
          expect(env[variable]).toEqual({ Ref: ids.secrets[setting] });
        }
        expect(secretIds).not.toContain(ids.cacheAuthToken);
        const text = JSON.stringify(env);
        expect(text).not.toContain('resolve:secretsmanager');
        expect(text).not.toContain('SecretString');
        // PostgreSQL over TLS, the server's certificate checked.
        expect(env).toMatchObject({
          PGSSLMODE: 'verify-full',
          NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
        });
      }
    });

    it('nothing in the template looks like a key or a token', () => {
      const text = JSON.stringify(s.template.toJSON());
      expect(text).not.toMatch(/PRIVATE KEY/);
      expect(text).not.toMatch(/"d"\s*:\s*"[A-Za-z0-9_-]{20,}"/);
    });
  });

  describe('lets the functions reach what they need', () => {
    it('both run in the VPC, in the Lambda security group', () => {
      const appSubnets = s.stack.vpc
        .selectSubnets({ subnetGroupName: 'app' })
        .subnetIds.map((x) => s.stack.resolve(x));
      for (const logicalId of [ids.api, ids.tick]) {
        const vpcConfig = (s.resources[logicalId]!.Properties as Json).VpcConfig as Json;
        expect(vpcConfig.SecurityGroupIds).toEqual([getAtt(ids.lambdaSg, 'GroupId')]);
        expect(vpcConfig.SubnetIds).toEqual(appSubnets);
      }
    });

    it('the Lambda security group goes out to Valkey on 6379 and PostgreSQL on 5432, and to little else', () => {
      const egress = ofType(s.resources, 'AWS::EC2::SecurityGroupEgress')
        .map(([, r]) => r.Properties as Json)
        .filter((rule) => JSON.stringify(rule.GroupId) === JSON.stringify(getAtt(ids.lambdaSg, 'GroupId')));
      const to = (sg: string) =>
        egress.find(
          (rule) => JSON.stringify(rule.DestinationSecurityGroupId) === JSON.stringify(getAtt(sg, 'GroupId')),
        );
      expect(to(ids.cacheSg)).toMatchObject({ IpProtocol: 'tcp', FromPort: 6379, ToPort: 6379 });
      expect(to(ids.databaseSg)).toMatchObject({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432 });
      // The third is the Secrets Manager endpoint, on 443; nothing goes to the internet.
      expect(egress).toHaveLength(3);
      expect(egress.every((rule) => rule.CidrIp === undefined)).toBe(true);
      expect(s.resources[ids.lambdaSg]!.Properties.SecurityGroupEgress).toEqual([
        expect.objectContaining({ CidrIp: '255.255.255.255/32' }),
      ]);
    });

    it('DATABASE_URL_SECRET_ARN is the database’s secret with its address attached', () => {
      expect(s.resources[ids.secrets.DATABASE_URL!]?.Type).toBe(
        'AWS::SecretsManager::SecretTargetAttachment',
      );
      s.template.hasResourceProperties('AWS::SecretsManager::SecretTargetAttachment', {
        TargetId: { Ref: ofType(s.resources, 'AWS::RDS::DBInstance')[0]![0] },
        TargetType: 'AWS::RDS::DBInstance',
      });
    });

    it('both may read their six secrets (not the bare Valkey token), and nothing more of Secrets Manager', () => {
      const policies = ofType(s.resources, 'AWS::IAM::Policy').map(([, r]) => r.Properties as Json);
      for (const fn of [s.stack.apiFunction, s.stack.tickFunction]) {
        const role = s.stack.resolve(fn.role!.roleName);
        const statements = policies
          .filter((p) => JSON.stringify(p.Roles) === JSON.stringify([role]))
          .flatMap((p) => (p.PolicyDocument as { Statement: Json[] }).Statement);
        const readable = statements
          .filter(
            (st) =>
              st.Effect === 'Allow' &&
              ([] as unknown[]).concat(st.Action).includes('secretsmanager:GetSecretValue'),
          )
          .map((st) => (st.Resource as { Ref: string }).Ref);
        expect(readable.sort()).toEqual(Object.values(ids.secrets).sort());
        const actions = new Set(statements.flatMap((st) => ([] as string[]).concat(st.Action as string)));
        const secretActions = [...actions].filter((a) => a.startsWith('secretsmanager:')).sort();
        expect(secretActions).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
      }
    });

    it('neither starts before the signing key is stored', () => {
      const keysId = ofType(s.resources, 'Custom::SigningKeys')[0]![0];
      for (const logicalId of [ids.api, ids.tick])
        expect(s.resources[logicalId]?.DependsOn).toContain(keysId);
    });
  });

  describe('routes CloudFront', () => {
    it('the API paths to the HTTP API, uncached, with Authorization and every other header passed on', () => {
      const config = (ofType(s.resources, 'AWS::CloudFront::Distribution')[0]![1].Properties as Json)
        .DistributionConfig as Json;
      const origins = config.Origins as Json[];
      const apiOrigin = origins.find((o) => o.CustomOriginConfig !== undefined)!;
      expect(JSON.stringify(apiOrigin.DomainName)).toContain('execute-api');
      const behaviors = config.CacheBehaviors as Json[];
      expect(behaviors.map((b) => b.PathPattern).sort()).toEqual([...API_PATHS].sort());
      const cachePolicyId = ofType(s.resources, 'AWS::CloudFront::CachePolicy')[0]![0];
      for (const behavior of behaviors) {
        expect(behavior.TargetOriginId).toBe(apiOrigin.Id);
        expect(behavior.AllowedMethods).toContain('POST');
        expect(behavior.CachePolicyId).toEqual({ Ref: cachePolicyId });
        // AllViewerExceptHostHeader
        expect(behavior.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
      }
      s.template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
        CachePolicyConfig: Match.objectLike({
          DefaultTTL: 0,
          MinTTL: 0,
          MaxTTL: 1,
          ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
            HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Authorization'] },
          }),
        }),
      });
      // The rest to the bucket, through the page routing.
      const defaultBehavior = config.DefaultCacheBehavior as Json;
      expect(defaultBehavior.TargetOriginId).not.toBe(apiOrigin.Id);
      expect(defaultBehavior.FunctionAssociations).toEqual([
        { EventType: 'viewer-request', FunctionARN: expect.anything() },
      ]);
    });

    it('the pages’ addresses to their HTML, as the server does', () => {
      const handler = new Function(`${PAGE_ROUTING_CODE}; return handler;`)() as (event: Json) => Json;
      const route = (uri: string) => handler({ request: { uri, headers: {} } });
      expect(route('/')).toMatchObject({ statusCode: 302, headers: { location: { value: '/rooms/demo' } } });
      expect(route('/rooms/demo')).toMatchObject({ uri: '/shopper.html' });
      expect(route('/rooms/spring-sale/')).toMatchObject({ uri: '/shopper.html' });
      expect(route('/admin')).toMatchObject({ uri: '/admin.html' });
      expect(route('/admin/rooms/demo')).toMatchObject({ uri: '/admin.html' });
      expect(route('/assets/shopper-1.js')).toMatchObject({ uri: '/assets/shopper-1.js' });
      expect(route('/rooms/a/b')).toMatchObject({ uri: '/rooms/a/b' });
      expect(route('/administrator')).toMatchObject({ uri: '/administrator' });
    });
  });

  it('with a NAT gateway, the functions may also go out on HTTPS', () => {
    const withNat = synth({ natGateways: 1 });
    withNat.template.resourceCountIs('AWS::EC2::NatGateway', 1);
    const lambdaSg = withNat.resources[withNat.id(withNat.stack.lambdaSecurityGroup)]!;
    expect(lambdaSg.Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    ]);
    // Valkey and PostgreSQL stay in the isolated subnets.
    const data = withNat.stack.vpc.selectSubnets({ subnetGroupName: 'data' });
    expect(data.subnets.every((subnet) => withNat.stack.vpc.isolatedSubnets.includes(subnet))).toBe(true);
  });
});

describe('the signing key generator', () => {
  const dir = join(scratch, 'generator');
  const stored: { SecretId: string; SecretString: string }[] = [];
  let failPut = false;
  let handler: (event: Json) => Promise<void>;
  let responses: { body: Json; headers: IncomingHttpHeaders }[];
  let responseUrl: string;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      responses.push({ body: JSON.parse(body), headers: request.headers });
      response.end();
    });
  });

  beforeAll(async () => {
    // The code as it runs in Lambda, with a stand-in for the SDK the runtime provides.
    mkdirSync(join(dir, 'node_modules', '@aws-sdk', 'client-secrets-manager'), { recursive: true });
    writeFileSync(join(dir, 'index.js'), SIGNING_KEYS_GENERATOR_CODE);
    writeFileSync(
      join(dir, 'node_modules', '@aws-sdk', 'client-secrets-manager', 'index.js'),
      `class PutSecretValueCommand { constructor(input) { this.input = input; } }
       class SecretsManagerClient {
         async send(command) { if (globalThis.__failPut()) throw new Error('AccessDenied'); globalThis.__stored.push(command.input); return {}; }
       }
       module.exports = { SecretsManagerClient, PutSecretValueCommand };`,
    );
    Object.assign(globalThis, { __stored: stored, __failPut: () => failPut });
    handler = createRequire(join(dir, 'index.js'))('./index.js').handler;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    responseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response?signed`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const event = (requestType: string, extra: Json = {}) => ({
    RequestType: requestType,
    ResponseURL: responseUrl,
    StackId: 'stack-1',
    RequestId: `request-${requestType}`,
    LogicalResourceId: 'SigningKeysValue',
    ResourceProperties: { ServiceToken: 'arn', SecretId: 'arn:secret:keys' },
    ...extra,
  });

  it('stores a new Ed25519 key that the server takes as SIGNING_KEYS, and says so to CloudFormation', async () => {
    responses = [];
    await handler(event('Create'));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.SecretId).toBe('arn:secret:keys');
    const jwks = JSON.parse(stored[0]!.SecretString) as { keys: Json[] };
    expect(jwks.keys).toHaveLength(1);
    const key = jwks.keys[0]!;
    expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(key.kid).toBe(await calculateJwkThumbprint(key));
    const keys = await loadSigningKeys(join(scratch, 'unused'), stored[0]!.SecretString);
    expect(keys.current.kid).toBe(key.kid);
    expect(keys.jwks.keys[0]).not.toHaveProperty('d');

    expect(responses).toHaveLength(1);
    expect(responses[0]!.body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'signing-keys-request-Create',
      StackId: 'stack-1',
      RequestId: 'request-Create',
      LogicalResourceId: 'SigningKeysValue',
    });
    // The pre-signed URL is signed without a content type.
    expect(responses[0]!.headers['content-type'] ?? '').toBe('');
    expect(JSON.stringify(responses[0]!.body)).not.toContain(String(key.d));
  });

  it('keeps the keys on an update and on deletion', async () => {
    stored.length = 0;
    responses = [];
    const old = {
      PhysicalResourceId: 'signing-keys-1',
      OldResourceProperties: { SecretId: 'arn:secret:keys' },
    };
    await handler(event('Update', old));
    await handler(event('Delete', { PhysicalResourceId: 'signing-keys-1' }));
    expect(stored).toHaveLength(0);
    expect(responses.map((r) => [r.body.Status, r.body.PhysicalResourceId])).toEqual([
      ['SUCCESS', 'signing-keys-1'],
      ['SUCCESS', 'signing-keys-1'],
    ]);
    // A replaced secret gets a key of its own.
    await handler(event('Update', { ...old, OldResourceProperties: { SecretId: 'arn:secret:older' } }));
    expect(stored).toHaveLength(1);
  });

  it('tells CloudFormation when it fails', async () => {
    responses = [];
    failPut = true;
    try {
      await handler(event('Create'));
    } finally {
      failPut = false;
    }
    expect(responses[0]!.body).toMatchObject({ Status: 'FAILED', Reason: 'AccessDenied' });
  });

  it('fits in the template inline (4 KB)', () => {
    expect(Buffer.byteLength(SIGNING_KEYS_GENERATOR_CODE)).toBeLessThan(4096);
  });
});

describe('the source folders', () => {
  it('fall back to the placeholder bundle when the server bundle is not built', () => {
    const paths = resolveSourcePaths(() => undefined);
    if (paths.placeholder) expect(paths.lambdaBundleDir).toBe(PLACEHOLDER_LAMBDA_DIR);
  });

  it('refuse a configured bundle folder without the Lambda entry', () => {
    expect(() => resolveSourcePaths((name) => (name === 'lambdaBundle' ? scratch : undefined))).toThrow(
      /has no lambda.js/,
    );
  });

  it('take a configured bundle and web app, or no web app', () => {
    const web = webDist();
    const paths = resolveSourcePaths((name) =>
      name === 'lambdaBundle' ? PLACEHOLDER_LAMBDA_DIR : name === 'webDist' ? web : undefined,
    );
    expect(paths).toEqual({ lambdaBundleDir: PLACEHOLDER_LAMBDA_DIR, placeholder: false, webDistDir: web });
    expect(
      resolveSourcePaths((name) => (name === 'webDist' ? 'none' : undefined)).webDistDir,
    ).toBeUndefined();
  });
});

describe('the Lambda bundle script', () => {
  it('bundles the Redis store with its Lua scripts beside it', () => {
    const dir = join(scratch, 'bundle');
    mkdirSync(dir, { recursive: true });
    const scripts = join(INFRA_DIR, '..', 'packages', 'store-redis', 'src', 'scripts.ts');
    writeFileSync(join(dir, 'entry.ts'), `export { loadScripts } from ${JSON.stringify(scripts)};\n`);
    const out = join(dir, 'out');
    const tsx = join(INFRA_DIR, '..', 'node_modules', '.bin', 'tsx');
    execFileSync(tsx, [join(INFRA_DIR, 'scripts', 'bundle-lambda.ts'), join(dir, 'entry.ts'), out], {
      stdio: 'pipe',
    });
    expect(existsSync(join(out, 'lambda.mjs'))).toBe(true);
    expect(existsSync(join(out, 'lua', 'lib.lua'))).toBe(true);
    // Moved elsewhere, the bundle still finds its scripts.
    const moved = join(dir, 'moved', 'task');
    mkdirSync(join(dir, 'moved'));
    execFileSync('cp', ['-r', out, moved]);
    rmSync(out, { recursive: true });
    const url = pathToFileURL(join(moved, 'lambda.mjs')).href;
    const names = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { loadScripts } = await import(${JSON.stringify(url)}); console.log(Object.keys(loadScripts().functions).join(','));`,
      ],
      { encoding: 'utf8' },
    );
    expect(names.trim().split(',')).toContain('join');
  });
});
