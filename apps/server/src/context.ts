import type { QueueStore, TicketStatus, WaitingRoomEngine } from '@waitroom/core';
import type { ControlStore, OrderStore } from '@waitroom/orders';
import type { RedisChangeBus } from './live/change-bus.js';
import type { StatusHub } from './live/status-hub.js';
import type { JoinLimit } from './plugins/join-limit.js';
import type { AdminCredential } from './security/admin-token.js';
import type { AdmissionTokens } from './security/admission-tokens.js';
import type { ProofOfWork } from './security/proof-of-work.js';
import type { QueueTokens } from './security/queue-tokens.js';
import type { SigningKeys } from './security/signing-keys.js';
import type { Settings } from './settings.js';

/** The parts every route uses, built once by `buildApp`. */
export interface Waitroom {
  settings: Settings;
  /** Epoch milliseconds (tests move a fake clock). */
  clock: () => number;
  store: QueueStore;
  engine: WaitingRoomEngine;
  queueTokens: QueueTokens;
  admissionTokens: AdmissionTokens;
  /** Proof-of-work challenges for rooms that ask each join for one. */
  proofOfWork: ProofOfWork;
  signingKeys: SigningKeys;
  admin: AdminCredential;
  hub: StatusHub;
  /** How room changes reach the other instances (Redis only). */
  changeBus: RedisChangeBus | null;
  /** Products, stock and orders (SQLite, PostgreSQL or MySQL). */
  orders: OrderStore;
  /** Operator keys and the audit log, in the order database. */
  control: ControlStore;
  /** A ticket status as the API shows it: the admission token added while admitted. */
  present(status: TicketStatus): PresentedStatus | Promise<PresentedStatus>;
  /** JOIN_LIMIT_PER_MINUTE, counted for the join route and the join's lane alike; null when off. */
  joinLimit: JoinLimit | null;
}

export type PresentedStatus = Omit<TicketStatus, 'admissionExpiresAt' | 'expiryReason' | 'admission'> & {
  admissionToken?: string;
  admissionExpiresAt?: string;
  expiryReason?: 'abandoned' | 'admission-expired';
};

declare module 'fastify' {
  interface FastifyInstance {
    waitroom: Waitroom;
  }
}
