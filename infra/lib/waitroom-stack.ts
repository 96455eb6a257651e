import { CfnOutput, Duration, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { SigningKeys } from './signing-keys.js';
import { API_PATHS, CONTENT_SECURITY_POLICY, PAGE_ROUTING_CODE } from './web-routing.js';

export interface WaitroomStackProps extends StackProps {
  /**
   * A folder holding the server's Lambda entry, `lambda.js` or `lambda.mjs`, that exports
   * `handler` (API Gateway v2 HTTP events) and `tick` (the scheduled admission run), with
   * everything it imports bundled in (`npm run bundle -w infra`), or the placeholder.
   */
  lambdaBundleDir: string;
  /** The built web app (apps/web/dist) to upload to the bucket; without it the bucket is left empty. */
  webDistDir?: string;
  /** NAT gateways for the Lambda's outbound internet access; 0 (the default): none, AWS APIs through VPC endpoints. */
  natGateways?: number;
  /** ElastiCache node type (default cache.t4g.micro). */
  cacheNodeType?: string;
  /** Valkey nodes: 1, or 2 and more for a replica and automatic failover in the other zone (default 2). */
  cacheNodes?: number;
  /** RDS instance type (default db.t4g.micro). */
  databaseInstanceType?: ec2.InstanceType;
  /** A standby database in the other zone (default false). */
  databaseMultiAz?: boolean;
  /** Protects the database from deletion (default true); set false for a throwaway stack. */
  deletionProtection?: boolean;
  /** ADMIT_TICK_MS: how often the tick function admits people during its run (default 250). */
  admitTickMs?: number;
}

/**
 * The environment variable that gives each secret's ARN to the functions, by the setting it
 * fills; the Lambda handler (apps/server/src/lambda.ts) reads each at cold start.
 */
export const SECRET_ARN_VARIABLES = {
  ADMIN_TOKEN: 'ADMIN_TOKEN_SECRET_ARN',
  QUEUE_TOKEN_SECRET: 'QUEUE_TOKEN_SECRET_ARN',
  SIGNING_KEYS: 'SIGNING_KEYS_SECRET_ARN',
  CHALLENGE_HMAC_KEY: 'CHALLENGE_HMAC_KEY_SECRET_ARN',
  REDIS_URL: 'REDIS_URL_SECRET_ARN',
  DATABASE_URL: 'DATABASE_URL_SECRET_ARN',
} as const;

const REDIS_PORT = 6379;
const APP_SUBNETS = 'app';
const DATA_SUBNETS = 'data';

/**
 * The waiting room on AWS: the server as Lambda functions behind an HTTP API, the line in
 * ElastiCache for Valkey, the orders in RDS for PostgreSQL, the pages in S3, all behind one
 * CloudFront distribution, the secrets in Secrets Manager, in a VPC of its own.
 */
export class WaitroomStack extends Stack {
  readonly vpc: ec2.Vpc;
  readonly lambdaSecurityGroup: ec2.SecurityGroup;
  readonly cacheSecurityGroup: ec2.SecurityGroup;
  readonly databaseSecurityGroup: ec2.SecurityGroup;
  readonly apiFunction: lambda.Function;
  readonly tickFunction: lambda.Function;
  /** The secrets the functions read at start, by the setting each one fills. */
  readonly secrets: Record<keyof typeof SECRET_ARN_VARIABLES, secretsmanager.ISecret>;
  /** Valkey's AUTH token: read by ElastiCache and by the REDIS_URL secret, not by the functions. */
  readonly cacheAuthToken: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: WaitroomStackProps) {
    super(scope, id, props);
    const natGateways = props.natGateways ?? 0;
    const cacheNodes = props.cacheNodes ?? 2;

    // --- Network: two zones; the Lambda in the 'app' subnets, Valkey and PostgreSQL in 'data'.
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration:
        natGateways > 0
          ? [
              { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
              { name: APP_SUBNETS, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
              { name: DATA_SUBNETS, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
            ]
          : [
              { name: APP_SUBNETS, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 },
              { name: DATA_SUBNETS, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
            ],
    });
    const appSubnets: ec2.SubnetSelection = { subnetGroupName: APP_SUBNETS };
    const dataSubnets: ec2.SubnetSelection = { subnetGroupName: DATA_SUBNETS };

    // Nothing goes out of the Lambda but to Valkey, PostgreSQL and the Secrets Manager endpoint.
    this.lambdaSecurityGroup = new ec2.SecurityGroup(this, 'LambdaSecurityGroup', {
      vpc: this.vpc,
      description: 'Waitroom Lambda functions',
      allowAllOutbound: false,
    });
    this.cacheSecurityGroup = new ec2.SecurityGroup(this, 'CacheSecurityGroup', {
      vpc: this.vpc,
      description: 'Waitroom Valkey: reached only by the Lambda functions',
      allowAllOutbound: false,
    });
    this.databaseSecurityGroup = new ec2.SecurityGroup(this, 'DatabaseSecurityGroup', {
      vpc: this.vpc,
      description: 'Waitroom PostgreSQL: reached only by the Lambda functions',
      allowAllOutbound: false,
    });
    this.lambdaSecurityGroup.connections.allowTo(
      this.cacheSecurityGroup,
      ec2.Port.tcp(REDIS_PORT),
      'The Lambda functions to Valkey',
    );
    this.lambdaSecurityGroup.connections.allowTo(
      this.databaseSecurityGroup,
      ec2.Port.tcp(5432),
      'The Lambda functions to PostgreSQL',
    );

    // The secrets are read at start through this endpoint: no NAT gateway is needed for them.
    const secretsEndpoint = this.vpc.addInterfaceEndpoint('SecretsManagerEndpoint', {
      service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      subnets: appSubnets,
      privateDnsEnabled: true,
      open: false,
      securityGroups: [
        new ec2.SecurityGroup(this, 'SecretsManagerEndpointSecurityGroup', {
          vpc: this.vpc,
          description: 'Waitroom Secrets Manager endpoint: reached only by the Lambda functions',
          allowAllOutbound: false,
        }),
      ],
    });
    secretsEndpoint.connections.allowDefaultPortFrom(
      this.lambdaSecurityGroup,
      'The Lambda functions to Secrets Manager',
    );
    if (natGateways > 0) {
      this.lambdaSecurityGroup.addEgressRule(
        ec2.Peer.anyIpv4(),
        ec2.Port.tcp(443),
        'HTTPS through the NAT gateway',
      );
    } else {
      // The rules above are resources of their own; a group created with no rule of its own
      // would get EC2's allow-all egress rule, so it gets one that matches no traffic.
      (this.lambdaSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup).addPropertyOverride(
        'SecurityGroupEgress',
        [
          {
            CidrIp: '255.255.255.255/32',
            Description: 'Disallow all traffic',
            IpProtocol: 'icmp',
            FromPort: 252,
            ToPort: 86,
          },
        ],
      );
    }

    // --- Secrets: all generated in AWS, none in the template; the Lambda gets their ARNs.
    const adminToken = new secretsmanager.Secret(this, 'AdminToken', {
      description: 'Waitroom ADMIN_TOKEN: the operator token (Bearer) for /api/admin',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    const queueTokenSecret = new secretsmanager.Secret(this, 'QueueTokenSecret', {
      description: 'Waitroom QUEUE_TOKEN_SECRET: the key of the queue tokens',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    // A random placeholder at creation, replaced at once by a generated Ed25519 JWK set.
    const signingKeys = new secretsmanager.Secret(this, 'SigningKeys', {
      description: 'Waitroom SIGNING_KEYS: the admission tokens private JWK set (the last key signs)',
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
    });
    const signingKeysValue = new SigningKeys(this, 'SigningKeysValue', { secret: signingKeys });
    // One key for every container: a challenge fetched from one is checked by another.
    const challengeHmacKey = new secretsmanager.Secret(this, 'ChallengeHmacKey', {
      description: 'Waitroom CHALLENGE_HMAC_KEY: the HMAC key of the proof-of-work (ALTCHA) challenges',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    // ElastiCache takes 16 to 128 printable characters; letters and digits need no escaping in a URL.
    const cacheAuthToken = new secretsmanager.Secret(this, 'CacheAuthToken', {
      description: 'Waitroom Valkey AUTH token (user "default")',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });

    // --- Valkey (ElastiCache): TLS only, encrypted at rest, AUTH token, never evicts the line.
    const cacheSubnets = new elasticache.CfnSubnetGroup(this, 'CacheSubnets', {
      description: 'Waitroom Valkey subnets',
      subnetIds: this.vpc.selectSubnets(dataSubnets).subnetIds,
    });
    const cacheParameters = new elasticache.CfnParameterGroup(this, 'CacheParameters', {
      cacheParameterGroupFamily: 'valkey8',
      description: 'Waitroom Valkey: the queue state must never be evicted',
      properties: { 'maxmemory-policy': 'noeviction' },
    });
    const cache = new elasticache.CfnReplicationGroup(this, 'Cache', {
      replicationGroupDescription: 'Waitroom queue state',
      engine: 'valkey',
      engineVersion: '8.0',
      cacheNodeType: props.cacheNodeType ?? 'cache.t4g.micro',
      numCacheClusters: cacheNodes,
      automaticFailoverEnabled: cacheNodes > 1,
      multiAzEnabled: cacheNodes > 1,
      cacheSubnetGroupName: cacheSubnets.ref,
      cacheParameterGroupName: cacheParameters.ref,
      securityGroupIds: [this.cacheSecurityGroup.securityGroupId],
      port: REDIS_PORT,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      atRestEncryptionEnabled: true,
      // A dynamic reference, resolved by CloudFormation: the token is not in the template.
      authToken: cacheAuthToken.secretValue.unsafeUnwrap(),
      autoMinorVersionUpgrade: true,
      snapshotRetentionLimit: 1,
    });

    // --- PostgreSQL (RDS): private, encrypted, TLS forced, generated credentials, backups.
    const database = new rds.DatabaseInstance(this, 'Database', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 }),
      instanceType:
        props.databaseInstanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
      vpc: this.vpc,
      vpcSubnets: dataSubnets,
      securityGroups: [this.databaseSecurityGroup],
      publiclyAccessible: false,
      databaseName: 'waitroom',
      // Only letters, digits and - _ . ~: easy to use in a URL or a shell.
      credentials: rds.Credentials.fromGeneratedSecret('waitroom', {
        excludeCharacters: ' !"#$%&\'()*+,/:;<=>?@[\\]^`{|}',
      }),
      storageEncrypted: true,
      storageType: rds.StorageType.GP3,
      allocatedStorage: 20,
      maxAllocatedStorage: 100,
      multiAz: props.databaseMultiAz ?? false,
      backupRetention: Duration.days(7),
      deleteAutomatedBackups: false,
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      autoMinorVersionUpgrade: true,
      parameters: { 'rds.force_ssl': '1' },
      cloudwatchLogsExports: ['postgresql'],
      cloudwatchLogsRetention: logs.RetentionDays.ONE_MONTH,
    });

    // The whole Valkey address as the server takes it, {"REDIS_URL": "rediss://default:<token>@<host>:6379"}.
    // The token goes in as a dynamic reference to its secret, resolved by CloudFormation when it
    // writes this secret: the template holds only the reference.
    const cacheUrl = new secretsmanager.Secret(this, 'CacheUrl', {
      description: 'Waitroom REDIS_URL: the Valkey address with its AUTH token',
      secretObjectValue: {
        REDIS_URL: SecretValue.unsafePlainText(
          `rediss://default:${cacheAuthToken.secretValue.unsafeUnwrap()}@${cache.attrPrimaryEndPointAddress}:${cache.attrPrimaryEndPointPort}`,
        ),
      },
    });

    this.cacheAuthToken = cacheAuthToken;
    this.secrets = {
      ADMIN_TOKEN: adminToken,
      QUEUE_TOKEN_SECRET: queueTokenSecret,
      SIGNING_KEYS: signingKeys,
      CHALLENGE_HMAC_KEY: challengeHmacKey,
      REDIS_URL: cacheUrl,
      DATABASE_URL: database.secret!,
    };

    // --- The server as two functions of one bundle: the HTTP handler and the admission tick.
    const environment: Record<string, string> = {
      NODE_OPTIONS: '--enable-source-maps',
      LOG_LEVEL: 'info',
      // The only writable place in a Lambda; with the settings below nothing secret is kept there.
      DATA_DIR: '/tmp/waitroom',
      // Each secret by its ARN, read once at cold start into its setting. The RDS secret is JSON
      // {username, password, host, port, dbname, engine}, from which the handler makes DATABASE_URL.
      ...Object.fromEntries(
        Object.entries(SECRET_ARN_VARIABLES).map(([setting, variable]) => [
          variable,
          this.secrets[setting as keyof typeof SECRET_ARN_VARIABLES].secretArn,
        ]),
      ),
      // PostgreSQL over TLS, its certificate checked against the RDS CAs that the runtime ships
      // (Node.js 20 and later runtimes do not load them unless asked).
      PGSSLMODE: 'verify-full',
      NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
      ADMIT_TICK_MS: String(props.admitTickMs ?? 250),
    };
    const code = lambda.Code.fromAsset(props.lambdaBundleDir);
    const functionDefaults = {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      code,
      vpc: this.vpc,
      vpcSubnets: appSubnets,
      securityGroups: [this.lambdaSecurityGroup],
      allowPublicSubnet: false,
      environment,
    };
    this.apiFunction = new lambda.Function(this, 'ApiFunction', {
      ...functionDefaults,
      description: 'Waitroom HTTP API (apps/server lambda.handler)',
      handler: 'lambda.handler',
      memorySize: 1024,
      // The HTTP API gives up after 30 s.
      timeout: Duration.seconds(25),
      logGroup: new logs.LogGroup(this, 'ApiFunctionLogs', {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    this.tickFunction = new lambda.Function(this, 'TickFunction', {
      ...functionDefaults,
      description: 'Waitroom admission: runs the admission tick every ADMIT_TICK_MS for about 55 s',
      handler: 'lambda.tick',
      environment: { ...environment, TICK_LOOP_SECONDS: '55' },
      memorySize: 512,
      // The run lasts about 55 s; a little slack, and the next minute's run may overlap it briefly.
      timeout: Duration.seconds(75),
      logGroup: new logs.LogGroup(this, 'TickFunctionLogs', {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    for (const fn of [this.apiFunction, this.tickFunction]) {
      for (const secret of Object.values(this.secrets)) secret.grantRead(fn);
      // Neither starts before the signing key is in its secret, nor before the stores exist.
      fn.node.addDependency(signingKeysValue, cache, database);
    }

    // EventBridge schedules run at most once a minute: each run admits for the minute itself.
    new events.Rule(this, 'AdmissionSchedule', {
      description: 'Starts the waitroom admission run every minute',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [
        new targets.LambdaFunction(this.tickFunction, {
          // A missed minute is not made up later: the next run takes over.
          retryAttempts: 0,
          maxEventAge: Duration.seconds(60),
        }),
      ],
    });

    // --- HTTP API: only the server's API paths; /metrics and the dev pages stay unreachable.
    const api = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Waitroom API (behind CloudFront)',
    });
    const integration = new HttpLambdaIntegration('Server', this.apiFunction);
    api.addRoutes({ path: '/api/{proxy+}', methods: [apigw.HttpMethod.ANY], integration });
    api.addRoutes({ path: '/.well-known/{proxy+}', methods: [apigw.HttpMethod.GET], integration });
    for (const path of ['/healthz', '/readyz', '/openapi.json']) {
      api.addRoutes({ path, methods: [apigw.HttpMethod.GET], integration });
    }

    // --- The pages: a private bucket, read by CloudFront only (Origin Access Control).
    const site = new s3.Bucket(this, 'WebBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const apiOrigin = new origins.HttpOrigin(`${api.apiId}.execute-api.${this.region}.${this.urlSuffix}`, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      readTimeout: Duration.seconds(30),
    });
    // Never cached (at most 1 s when the server says so), and the Authorization header is passed on:
    // CloudFront forwards it on GET only when it is part of the cache key.
    const apiCachePolicy = new cloudfront.CachePolicy(this, 'ApiCachePolicy', {
      comment: 'Waitroom API: no caching, Authorization forwarded',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Authorization'),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: apiCachePolicy,
      // Every other header, the cookies and the query string; the Host is the API's own.
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      compress: true,
    };
    const pageRouting = new cloudfront.Function(this, 'PageRouting', {
      comment: 'Waitroom pages: /rooms/* and /admin* to their HTML',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(PAGE_ROUTING_CODE),
    });
    const pageHeaders = new cloudfront.ResponseHeadersPolicy(this, 'PageHeaders', {
      comment: 'Waitroom pages: the server’s security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
    });
    const distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Waitroom',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(site),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: pageHeaders,
        functionAssociations: [
          { function: pageRouting, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
        compress: true,
      },
      additionalBehaviors: Object.fromEntries(API_PATHS.map((path) => [path, apiBehavior])),
    });

    // --- The built pages, when there are: hashed assets cached for a year, the HTML never.
    if (props.webDistDir !== undefined) {
      const assets = new s3deploy.BucketDeployment(this, 'WebAssets', {
        sources: [s3deploy.Source.asset(props.webDistDir, { exclude: ['*', '!assets', '!assets/**'] })],
        destinationBucket: site,
        cacheControl: [s3deploy.CacheControl.fromString('public, max-age=31536000, immutable')],
        prune: false,
      });
      const pages = new s3deploy.BucketDeployment(this, 'WebPages', {
        sources: [s3deploy.Source.asset(props.webDistDir, { exclude: ['assets', 'assets/**'] })],
        destinationBucket: site,
        cacheControl: [s3deploy.CacheControl.noCache()],
        prune: false,
        distribution,
        distributionPaths: ['/*'],
      });
      // A page never names an asset that is not there yet.
      pages.node.addDependency(assets);
    }

    new CfnOutput(this, 'Url', { value: `https://${distribution.distributionDomainName}` });
    new CfnOutput(this, 'WebBucketName', { value: site.bucketName });
    new CfnOutput(this, 'DistributionId', { value: distribution.distributionId });
    new CfnOutput(this, 'AdminTokenSecretArn', { value: adminToken.secretArn });
  }
}
