import { useStoredValue } from '../../../shared/hooks/use-stored-value';

/** What this browser keeps of its place in a room: the token proving it, and where it started. */
export interface StoredTicket {
  queueToken: string;
  /** The first position seen, which the progress bar measures from. */
  firstPosition: number | null;
}

/**
 * The place in `roomId`'s line kept in localStorage, so that a reload or a second tab of the
 * same browser keeps it (one key per room).
 */
export function useStoredTicket(
  roomId: string,
): [StoredTicket | null, (ticket: StoredTicket | null) => void] {
  return useStoredValue<StoredTicket>('local', `waitroom:ticket:${roomId}`);
}
