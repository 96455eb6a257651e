/**
 * The pages' addresses, as the server serves them (apps/server/src/routes/pages.ts), done by
 * a CloudFront Function on viewer requests for the S3 origin: `/` goes to the demo room,
 * `/rooms/<id>` is the shopper's page, `/admin` and below the dashboard; anything else
 * (the hashed `/assets/…`) is the object of that name.
 */
export const PAGE_ROUTING_CODE = `
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/rooms/demo' } } };
  }
  if (/^\\/rooms\\/[^/]+\\/?$/.test(uri)) {
    request.uri = '/shopper.html';
  } else if (uri === '/admin' || uri.indexOf('/admin/') === 0) {
    request.uri = '/admin.html';
  }
  return request;
}
`;

/** The server's own policy for the pages: they load only this origin's files. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The paths CloudFront sends to the HTTP API; every other path is a file in the bucket. */
export const API_PATHS = ['/api/*', '/.well-known/*', '/healthz', '/readyz', '/openapi.json'] as const;
