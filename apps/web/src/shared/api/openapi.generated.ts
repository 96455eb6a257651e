// Generated from the server's /openapi.json by `npm run generate:api`: do not edit.
// apps/web/test/openapi-types.test.ts fails when the server's document and this file differ.

export interface paths {
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The public keys that verify admission tokens */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The changes operators made, newest first, a page at a time
         * @description Who (ADMIN_TOKEN, an operator key or the command line), what (the action and a summary free of personal data), when, in which room, under which request id.
         */
        get: {
            parameters: {
                query: {
                    /** @description The nextCursor of the previous page */
                    cursor?: string;
                    limit: number;
                    /** @description Only this room */
                    roomId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            entries: {
                                /** @description What: room.create, room.update, room.admit, products.put, order.customer.erase, customer.erase, operator-key.create, operator-key.revoke… */
                                action: string;
                                /** @description Who: 'admin' (ADMIN_TOKEN), 'key:<id>:<name>' (an operator key) or 'command' */
                                actor: string;
                                /** Format: date-time */
                                at: string;
                                /** @description A summary of the change (settings and their new values, counts); never personal data */
                                details: {
                                    [key: string]: unknown;
                                };
                                /** @description Increasing: a later change has a greater id */
                                id: number;
                                /** @description The x-request-id of the change, to find it in the logs */
                                requestId: string | null;
                                roomId: string | null;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/customers/erase": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Erase a customer's details from every order placed with this e-mail address */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            erased: number;
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Orders, newest first, a page at a time */
        get: {
            parameters: {
                query: {
                    cursor?: string;
                    limit: number;
                    roomId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            nextCursor: string | null;
                            orders: {
                                /** Format: date-time */
                                createdAt: string;
                                currency: string;
                                /** @description null once the operator erased the customer’s details */
                                customer: {
                                    email: string;
                                    firstName: string;
                                    lastName: string;
                                    phone: string;
                                } | null;
                                /** Format: date-time */
                                erasedAt: string | null;
                                id: string;
                                items: {
                                    productId: string;
                                    quantity: number;
                                    unitPriceCents: number;
                                }[];
                                roomId: string;
                                /** @enum {unknown} */
                                status: "confirmed";
                                ticketId: string;
                                totalCents: number;
                            }[];
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/orders/{orderId}/customer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Erase an order's customer details (the order's figures stay) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    orderId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            erased: number;
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/rooms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every room */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            rooms: {
                                admissionTtlSeconds: number;
                                admitRatePerMinute: number;
                                heartbeatTimeoutSeconds: number;
                                id: string;
                                maxActive: number | null;
                                name: string;
                                /** Format: date-time */
                                opensAt: string | null;
                                /** @enum {unknown} */
                                queueMode: "fifo" | "lottery";
                                /** @description Each join must carry a solved proof-of-work challenge (ALTCHA); default false */
                                requireChallenge: boolean;
                                /** @enum {unknown} */
                                status: "open" | "paused" | "closed";
                            }[];
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a room; unset settings take their defaults */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        admissionTtlSeconds?: number;
                        admitRatePerMinute?: number;
                        heartbeatTimeoutSeconds?: number;
                        id: string;
                        maxActive?: number | null;
                        name: string;
                        /** Format: date-time */
                        opensAt?: string | null;
                        /** @enum {unknown} */
                        queueMode?: "fifo" | "lottery";
                        /** @description Each join must carry a solved proof-of-work challenge (ALTCHA); default false */
                        requireChallenge?: boolean;
                        /** @enum {unknown} */
                        status?: "open" | "paused" | "closed";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            admissionTtlSeconds: number;
                            admitRatePerMinute: number;
                            heartbeatTimeoutSeconds: number;
                            id: string;
                            maxActive: number | null;
                            name: string;
                            /** Format: date-time */
                            opensAt: string | null;
                            /** @enum {unknown} */
                            queueMode: "fifo" | "lottery";
                            /** @description Each join must carry a solved proof-of-work challenge (ALTCHA); default false */
                            requireChallenge: boolean;
                            /** @enum {unknown} */
                            status: "open" | "paused" | "closed";
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/rooms/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A room's settings, with a lottery room's commitment to its seed
         * @description `lottery` is present for a lottery room: the commitment, and the seed once drawn. The seed is never shown before the draw, not even to the operator.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            admissionTtlSeconds: number;
                            admitRatePerMinute: number;
                            heartbeatTimeoutSeconds: number;
                            id: string;
                            /**
                             * LotteryState
                             * @description A lottery room’s draw as anyone may know it (docs/SECURITY.md, "A lottery anyone can check")
                             */
                            lottery?: {
                                /** @description SHA-256 (hex) of the secret seed the pre-queue will be drawn with, published from the moment the room is a lottery, before anyone can join it */
                                commitment: string;
                                drawn: boolean;
                                /**
                                 * Format: date-time
                                 * @description Once drawn
                                 */
                                drawnAt?: string;
                                /** @description Once drawn: the seed, whose SHA-256 is the commitment */
                                seed?: string;
                            };
                            maxActive: number | null;
                            name: string;
                            /** Format: date-time */
                            opensAt: string | null;
                            /** @enum {unknown} */
                            queueMode: "fifo" | "lottery";
                            /** @description Each join must carry a solved proof-of-work challenge (ALTCHA); default false */
                            requireChallenge: boolean;
                            /** @enum {unknown} */
                            status: "open" | "paused" | "closed";
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change any subset of the settings: rate, cap, opening, mode, open / pause / close */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        admissionTtlSeconds?: number;
                        admitRatePerMinute?: number;
                        heartbeatTimeoutSeconds?: number;
                        maxActive?: number | null;
                        name?: string;
                        /** Format: date-time */
                        opensAt?: string | null;
                        /** @enum {unknown} */
                        queueMode?: "fifo" | "lottery";
                        /** @description Each join must carry a solved proof-of-work challenge (ALTCHA); default false */
                        requireChallenge?: boolean;
                        /** @enum {unknown} */
                        status?: "open" | "paused" | "closed";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            admissionTtlSeconds: number;
                            admitRatePerMinute: number;
                            heartbeatTimeoutSeconds: number;
                            id: string;
                            maxActive: number | null;
                            name: string;
                            /** Format: date-time */
                            opensAt: string | null;
                            /** @enum {unknown} */
                            queueMode: "fifo" | "lottery";
                            /** @description Each join must carry a solved proof-of-work challenge (ALTCHA); default false */
                            requireChallenge: boolean;
                            /** @enum {unknown} */
                            status: "open" | "paused" | "closed";
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/admin/rooms/{id}/admit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Admit the next `count` waiting tickets now, whatever the rate (also while paused), within maxActive */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        count: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            admitted: number;
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/rooms/{id}/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A room's products on sale, with units left and sold */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            products: {
                                /** @description Units still for sale */
                                available: number;
                                currency: string;
                                description: string | null;
                                id: string;
                                maxPerOrder: number | null;
                                name: string;
                                priceCents: number;
                                /** @description Units in confirmed orders */
                                sold: number;
                            }[];
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        /** Set a room's products and their stock; products left out are withdrawn from sale */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        products: {
                            /** @description ISO 4217, e.g. EUR */
                            currency: string;
                            description?: string | null;
                            id: string;
                            maxPerOrder?: number | null;
                            name: string;
                            /** @description Integer cents */
                            priceCents: number;
                            /** @description Units for sale from now on */
                            stock: number;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            products: {
                                /** @description Units still for sale */
                                available: number;
                                currency: string;
                                description: string | null;
                                id: string;
                                maxPerOrder: number | null;
                                name: string;
                                priceCents: number;
                                /** @description Units in confirmed orders */
                                sold: number;
                            }[];
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/rooms/{id}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A room's live figures, with the accuracy of its wait estimates */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            abandonedTotal: number;
                            active: number;
                            admissionsExpiredTotal: number;
                            admittedTotal: number;
                            completedTotal: number;
                            estimateAccuracy: {
                                /** @description median |predicted - actual| / actual */
                                medianErrorRatio: number | null;
                                p90ErrorRatio: number | null;
                                samples: number;
                            };
                            inflowPerMinute: number;
                            joinedTotal: number;
                            leftTotal: number;
                            /** @description False while estimates use the configured rate */
                            outflowMeasured: boolean;
                            outflowPerMinute: number;
                            /** @description The outflow the wait estimates plan with */
                            plannedOutflowPerMinute: number;
                            waiting: number;
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/rooms/{id}/tickets/{ticketId}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End an admitted ticket’s admission now (the shopper checked out elsewhere)
         * @description Needs ADMIN_TOKEN or an operator key with write scope. No body is needed; a JSON body, if sent, must be an empty object. Frees the place among the active (maxActive) at once. 404 NOT_FOUND for a ticket the room does not know (ROOM_NOT_FOUND for the room), 403 FORBIDDEN for a ticket that is not admitted, 409 ADMISSION_USED when the admission was already completed (by an order or by this call), 409 ADMISSION_EXPIRED when it had already run out: its place is free already.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The room */
                    id: string;
                    ticketId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The admission is over; its place among the active is free. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            roomId: string;
                            /** @enum {unknown} */
                            state: "completed";
                            ticketId: string;
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admissions/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End the admission whose token is presented (a shop that holds the shopper’s token)
         * @description Needs the admission token as a bearer token, nothing else. No body is needed; a JSON body, if sent, must be an empty object. Frees the place among the active at once. 401 INVALID_TOKEN or TOKEN_EXPIRED for a token that is not good (an admission that ran out included, as for POST /api/orders), 409 ADMISSION_USED when the admission was already completed.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The admission is over; its place among the active is free. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            roomId: string;
                            /** @enum {unknown} */
                            state: "completed";
                            ticketId: string;
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Place the one order an admission allows
         * @description Needs the admission token as a bearer token and an Idempotency-Key header. The same key with the same body returns the same order (200); prices come from the products, never from the request.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description 1 to 200 printable characters */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Customer */
                        customer: {
                            /** Format: email */
                            email: string;
                            firstName: string;
                            lastName: string;
                            /** @description Digits with an optional leading +, 6 to 15 digits */
                            phone: string;
                        };
                        items: {
                            productId: string;
                            quantity: number;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            currency: string;
                            /** @description null once the operator erased the customer’s details */
                            customer: {
                                email: string;
                                firstName: string;
                                lastName: string;
                                phone: string;
                            } | null;
                            /** Format: date-time */
                            erasedAt: string | null;
                            id: string;
                            items: {
                                productId: string;
                                quantity: number;
                                unitPriceCents: number;
                            }[];
                            roomId: string;
                            /** @enum {unknown} */
                            status: "confirmed";
                            ticketId: string;
                            totalCents: number;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            currency: string;
                            /** @description null once the operator erased the customer’s details */
                            customer: {
                                email: string;
                                firstName: string;
                                lastName: string;
                                phone: string;
                            } | null;
                            /** Format: date-time */
                            erasedAt: string | null;
                            id: string;
                            items: {
                                productId: string;
                                quantity: number;
                                unitPriceCents: number;
                            }[];
                            roomId: string;
                            /** @enum {unknown} */
                            status: "confirmed";
                            ticketId: string;
                            totalCents: number;
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/orders/{orderId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An order, for the admission token that placed it or the operator */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    orderId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            currency: string;
                            /** @description null once the operator erased the customer’s details */
                            customer: {
                                email: string;
                                firstName: string;
                                lastName: string;
                                phone: string;
                            } | null;
                            /** Format: date-time */
                            erasedAt: string | null;
                            id: string;
                            items: {
                                productId: string;
                                quantity: number;
                                unitPriceCents: number;
                            }[];
                            roomId: string;
                            /** @enum {unknown} */
                            status: "confirmed";
                            ticketId: string;
                            totalCents: number;
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{roomId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A room's state and the wait a shopper joining now would have */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    roomId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            admitRatePerMinute: number;
                            estimatedWaitSeconds: number | null;
                            id: string;
                            /**
                             * LotteryState
                             * @description A lottery room’s draw as anyone may know it (docs/SECURITY.md, "A lottery anyone can check")
                             */
                            lottery: {
                                /** @description SHA-256 (hex) of the secret seed the pre-queue will be drawn with, published from the moment the room is a lottery, before anyone can join it */
                                commitment: string;
                                drawn: boolean;
                                /**
                                 * Format: date-time
                                 * @description Once drawn
                                 */
                                drawnAt?: string;
                                /** @description Once drawn: the seed, whose SHA-256 is the commitment */
                                seed?: string;
                            } | null;
                            name: string;
                            /** Format: date-time */
                            opensAt: string | null;
                            /** @description A join must carry a solved proof-of-work challenge (GET /api/rooms/{roomId}/challenge) */
                            requireChallenge: boolean;
                            /** @enum {unknown} */
                            status: "scheduled" | "open" | "paused" | "closed";
                            waiting: number;
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{roomId}/challenge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A fresh proof-of-work challenge (ALTCHA) for one join to this room
         * @description Needed only where the room says `requireChallenge`. Valid for a few minutes and for one join.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    roomId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Solve it (altcha-lib `solveChallenge`), then send base64 of the JSON `{challenge, solution}` as the `X-Altcha` header of the join (or its body field `altcha`). Usable for one join, in this room, until `parameters.expiresAt`. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            parameters: {
                                algorithm: string;
                                cost: number;
                                data?: {
                                    [key: string]: string | number | boolean | (never | null);
                                };
                                /** @description Epoch seconds */
                                expiresAt?: number;
                                keyLength: number;
                                keyPrefix: string;
                                keySignature?: string;
                                memoryCost?: number;
                                nonce: string;
                                parallelism?: number;
                                salt: string;
                            };
                            signature: string;
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{roomId}/lottery": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A lottery room's draw: the seed, its commitment, the pre-queue drawn and the order
         * @description Anyone can check it: SHA-256(seed) must equal the commitment published (GET /api/rooms/{roomId}) before anyone could join, and `order` must be `ticketIds` sorted by SHA-256(seed + ":" + ticketId). 409 LOTTERY_NOT_DRAWN until the room has opened and drawn its pre-queue (the seed is secret until then); 404 NOT_FOUND for a room that is not a lottery.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    roomId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            commitment: string;
                            /** Format: date-time */
                            drawnAt: string;
                            /** @description The drawn order: ticketIds sorted by SHA-256(seed + ":" + ticketId), lowest first (hex) */
                            order: string[];
                            roomId: string;
                            seed: string;
                            /** @description The pre-queue the draw was made over, sorted by ticket id */
                            ticketIds: string[];
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{roomId}/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What is on sale in a room, with the units left */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    roomId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            products: {
                                /** @description Units still for sale */
                                available: number;
                                currency: string;
                                description: string | null;
                                id: string;
                                maxPerOrder: number | null;
                                name: string;
                                priceCents: number;
                            }[];
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{roomId}/tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Join the line: a place, its position and estimate, and the queue token that proves it
         * @description No body is needed; a JSON body, if sent, may hold only `altcha` (a solved challenge, as in the `X-Altcha` header). A join leaves an HttpOnly cookie holding the queue token, for this room's ticket paths only: a join that brings back the cookie of a place still live (waiting or admitted) gets that place again, 200 instead of 201, and no new ticket. A room with `requireChallenge` refuses a new place without a solved, unused challenge: 403 CHALLENGE_REQUIRED or CHALLENGE_FAILED.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description A solved challenge, for a room with `requireChallenge` (see GET …/challenge) */
                    "x-altcha"?: string;
                };
                path: {
                    roomId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: date-time
                             * @description Only when admitted
                             */
                            admissionExpiresAt?: string;
                            /** @description Only when admitted */
                            admissionToken?: string;
                            /** @description [p10, p90] of the wait, in seconds */
                            etaRange: number[] | null;
                            etaSeconds: number | null;
                            /** @enum {unknown} */
                            expiryReason?: "abandoned" | "admission-expired";
                            /** Format: date-time */
                            joinedAt: string;
                            pollAfterMs: number;
                            /** @description 1 for the ticket admitted next */
                            position: number | null;
                            /** @description Proves the place: send it as a bearer token */
                            queueToken: string;
                            roomId: string;
                            /** @enum {unknown} */
                            roomStatus: "scheduled" | "open" | "paused" | "closed";
                            /** @enum {unknown} */
                            state: "waiting" | "admitted" | "expired" | "completed" | "left";
                            ticketId: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: date-time
                             * @description Only when admitted
                             */
                            admissionExpiresAt?: string;
                            /** @description Only when admitted */
                            admissionToken?: string;
                            /** @description [p10, p90] of the wait, in seconds */
                            etaRange: number[] | null;
                            etaSeconds: number | null;
                            /** @enum {unknown} */
                            expiryReason?: "abandoned" | "admission-expired";
                            /** Format: date-time */
                            joinedAt: string;
                            pollAfterMs: number;
                            /** @description 1 for the ticket admitted next */
                            position: number | null;
                            /** @description Proves the place: send it as a bearer token */
                            queueToken: string;
                            roomId: string;
                            /** @enum {unknown} */
                            roomStatus: "scheduled" | "open" | "paused" | "closed";
                            /** @enum {unknown} */
                            state: "waiting" | "admitted" | "expired" | "completed" | "left";
                            ticketId: string;
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{roomId}/tickets/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The ticket's status; each call counts as a sign of life */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    roomId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: date-time
                             * @description Only when admitted
                             */
                            admissionExpiresAt?: string;
                            /** @description Only when admitted */
                            admissionToken?: string;
                            /** @description [p10, p90] of the wait, in seconds */
                            etaRange: number[] | null;
                            etaSeconds: number | null;
                            /** @enum {unknown} */
                            expiryReason?: "abandoned" | "admission-expired";
                            /** Format: date-time */
                            joinedAt: string;
                            pollAfterMs: number;
                            /** @description 1 for the ticket admitted next */
                            position: number | null;
                            roomId: string;
                            /** @enum {unknown} */
                            roomStatus: "scheduled" | "open" | "paused" | "closed";
                            /** @enum {unknown} */
                            state: "waiting" | "admitted" | "expired" | "completed" | "left";
                            ticketId: string;
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Leave the line (or give up an admission) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    roomId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/rooms/{roomId}/tickets/me/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server-sent events: `status` at once and on every change, a comment at least every 15 s
         * @description An open stream counts as a sign of life. Each event `status` carries a TicketStatus. A change of state (admitted, expired, left) is sent at once; a ticket still waiting hears of its new position within one second near the front of the line, and within five seconds when its wait runs to minutes (a twentieth of the estimated wait). Where the deployment cannot hold a stream open (LIVE_STREAMS=false, the default on AWS Lambda), the answer is 501 STREAMING_UNAVAILABLE at once (the call still counts as a sign of life): poll GET /api/rooms/{roomId}/tickets/me every `pollAfterMs` instead.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    roomId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/event-stream */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
                /** @description Every refusal: a stable code and a message safe to show. */
                501: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            error: {
                                /** @enum {string} */
                                code: "INVALID_REQUEST" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "FORBIDDEN" | "CHALLENGE_REQUIRED" | "CHALLENGE_FAILED" | "ROOM_NOT_FOUND" | "NOT_FOUND" | "ROOM_CLOSED" | "ROOM_EXISTS" | "SOLD_OUT" | "ADMISSION_USED" | "ADMISSION_EXPIRED" | "IDEMPOTENCY_CONFLICT" | "LIMIT_EXCEEDED" | "LOTTERY_NOT_DRAWN" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "RATE_LIMITED" | "INTERNAL" | "STREAMING_UNAVAILABLE" | "UNAVAILABLE";
                                message: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process lives */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus text */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Its stores answer */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
