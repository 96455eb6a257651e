/** The states a ticket can be in, as the shopper API names them. */
export type TicketState = 'waiting' | 'admitted' | 'expired' | 'completed' | 'left';

/** Why a ticket reached `expired`: it stopped showing signs of life, or its admission ran out. */
export type ExpiryReason = 'abandoned' | 'admission-expired';

/** What a queue store knows of one ticket. Times are epoch milliseconds. */
export interface TicketRecord {
  ticketId: string;
  roomId: string;
  state: TicketState;
  /** 1 for the next to be admitted; null unless waiting, or in a pre-queue not yet drawn. */
  position: number | null;
  joinedAt: number;
  admittedAt: number | null;
  admissionExpiresAt: number | null;
  expiryReason: ExpiryReason | null;
  /** The wait predicted when the ticket joined, in seconds (null when none could be made). */
  predictedWaitSeconds: number | null;
}
