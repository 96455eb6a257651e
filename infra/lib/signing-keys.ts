import { CustomResource, Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The code of the custom resource that puts a fresh Ed25519 signing key into the SIGNING_KEYS
 * secret when the stack is created: `{"keys":[<private JWK with alg, use, kid>]}`, the format
 * the server reads from SIGNING_KEYS (kid = the RFC 7638 thumbprint, as the server makes it).
 *
 * Secrets Manager's own generator makes only random strings, and a private key must never
 * be in the template, so the key is made in AWS, at deploy time. On an update it does nothing
 * (the keys stay; rotating them is an operator's step, see the README), unless the secret
 * itself was replaced. It answers CloudFormation through the pre-signed response URL.
 * Plain CommonJS, no dependency but the AWS SDK v3 that the Node.js runtime ships: it goes
 * into the template inline (no asset, no bundling). It never logs the key.
 */
export const SIGNING_KEYS_GENERATOR_CODE = `
const { createHash, generateKeyPairSync } = require('node:crypto');

function newKey() {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  const thumbprint = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  const kid = createHash('sha256').update(thumbprint).digest('base64url');
  return { crv: jwk.crv, d: jwk.d, x: jwk.x, kty: jwk.kty, alg: 'EdDSA', use: 'sig', kid };
}

async function respond(event, status, reason, physicalId) {
  const body = JSON.stringify({
    Status: status,
    Reason: reason,
    PhysicalResourceId: physicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  const response = await fetch(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '' }, body });
  if (!response.ok) throw new Error('CloudFormation did not take the response: ' + response.status);
}

exports.newKey = newKey;

exports.handler = async (event) => {
  const physicalId = event.PhysicalResourceId || 'signing-keys-' + event.RequestId;
  try {
    const secretId = event.ResourceProperties.SecretId;
    const old = event.OldResourceProperties || {};
    const fresh = event.RequestType === 'Create' || (event.RequestType === 'Update' && old.SecretId !== secretId);
    if (fresh) {
      const { SecretsManagerClient, PutSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
      const client = new SecretsManagerClient({});
      await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify({ keys: [newKey()] }) }));
    }
    console.log(event.RequestType + ' ' + physicalId + (fresh ? ': a new signing key is stored' : ': nothing to do'));
    await respond(event, 'SUCCESS', 'ok', physicalId);
  } catch (error) {
    const reason = String((error && error.message) || error).slice(0, 300);
    console.error(event.RequestType + ' ' + physicalId + ' failed: ' + reason);
    await respond(event, 'FAILED', reason, physicalId);
  }
};
`;

export interface SigningKeysProps {
  /** The secret the Lambda reads as SIGNING_KEYS. */
  secret: secretsmanager.ISecret;
}

/** Generates the admission tokens' signing key into its secret, once, at deploy time. */
export class SigningKeys extends Construct {
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: SigningKeysProps) {
    super(scope, id);
    const generator = new lambda.Function(this, 'Generator', {
      description: 'Puts a new Ed25519 signing key (private JWK set) into the SIGNING_KEYS secret',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SIGNING_KEYS_GENERATOR_CODE),
      timeout: Duration.seconds(30),
      memorySize: 256,
    });
    props.secret.grantWrite(generator);
    this.resource = new CustomResource(this, 'Value', {
      serviceToken: generator.functionArn,
      resourceType: 'Custom::SigningKeys',
      properties: { SecretId: props.secret.secretArn },
    });
  }
}
