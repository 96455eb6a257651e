import type { paths } from './openapi.generated';

/**
 * The wire shapes the pages use, named once, every one taken from the server's OpenAPI
 * document (openapi.generated.ts): a change of the API that breaks a page breaks the build.
 */

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type ApiPath = keyof paths;

/** The paths that have an operation for `M`. */
export type PathWith<M extends Method> = {
  [P in ApiPath]: paths[P][M] extends undefined ? never : P;
}[ApiPath];

type Operation<P extends ApiPath, M extends Method> = Exclude<paths[P][M], undefined>;
type Responses<P extends ApiPath, M extends Method> =
  Operation<P, M> extends { responses: infer R } ? R : never;

/** The body of a successful answer (200, 201), or `null` for 204. */
export type SuccessBody<P extends ApiPath, M extends Method> = {
  [S in keyof Responses<P, M>]: S extends 200 | 201
    ? Responses<P, M>[S] extends { content: { 'application/json': infer J } }
      ? J
      : never
    : S extends 204
      ? null
      : never;
}[keyof Responses<P, M>];

/** The JSON body an operation takes (`never` when it takes none). */
export type RequestBody<P extends ApiPath, M extends Method> =
  Operation<P, M> extends {
    requestBody: { content: { 'application/json': infer B } };
  }
    ? B
    : Operation<P, M> extends { requestBody?: { content: { 'application/json': infer B } } }
      ? B
      : never;

export type QueryOf<P extends ApiPath, M extends Method> =
  Operation<P, M> extends {
    parameters: { query: infer Q };
  }
    ? Q
    : never;

// The shopper's side.
export type PublicRoom = SuccessBody<'/api/rooms/{roomId}', 'get'>;
export type RoomStatus = PublicRoom['status'];
export type TicketStatus = SuccessBody<'/api/rooms/{roomId}/tickets/me', 'get'>;
export type TicketState = TicketStatus['state'];
export type JoinedTicket = SuccessBody<'/api/rooms/{roomId}/tickets', 'post'>;
export type Challenge = SuccessBody<'/api/rooms/{roomId}/challenge', 'get'>;
export type Product = SuccessBody<'/api/rooms/{roomId}/products', 'get'>['products'][number];
export type PlaceOrder = RequestBody<'/api/orders', 'post'>;
export type Customer = PlaceOrder['customer'];
export type Order = SuccessBody<'/api/orders', 'post'>;

// The operator's side.
export type RoomSettings = SuccessBody<'/api/admin/rooms/{id}', 'get'>;
export type NewRoom = RequestBody<'/api/admin/rooms', 'post'>;
export type RoomPatch = RequestBody<'/api/admin/rooms/{id}', 'patch'>;
export type RoomStats = SuccessBody<'/api/admin/rooms/{id}/stats', 'get'>;
export type AdminProduct = SuccessBody<'/api/admin/rooms/{id}/products', 'get'>['products'][number];
export type ProductInput = RequestBody<'/api/admin/rooms/{id}/products', 'put'>['products'][number];
export type OrderPage = SuccessBody<'/api/admin/orders', 'get'>;
export type OrderQuery = QueryOf<'/api/admin/orders', 'get'>;

export type ErrorCode = SuccessBodyOfError['error']['code'];
type SuccessBodyOfError =
  Responses<'/api/orders', 'post'> extends { 400: { content: { 'application/json': infer E } } } ? E : never;
