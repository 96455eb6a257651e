// A stand-in for the server's Lambda bundle, so that the stack synthesizes (and its tests run)
// before anything is built. Deployed, it answers every request with 503 and admits nobody.
// The real bundle: `npm run build && npm run bundle -w infra` (infra/build/lambda/lambda.mjs).
export const handler = async () => ({
  statusCode: 503,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  body: 'The waiting room is not deployed yet: this is the placeholder Lambda code.\n',
});

export const tick = async () => {
  console.log('placeholder tick: the server bundle is not deployed, nobody is admitted');
};
