import type { PublicRoom } from '../../../shared/api/types';

export interface LotteryNoteProps {
  roomId: string;
  lottery: NonNullable<PublicRoom['lottery']>;
}

/**
 * A lottery room's promise, shown where a shopper can note it: the fingerprint of the seed
 * fixed before anyone joined, and after the draw the seed itself, so that anyone can check
 * the order (docs/SECURITY.md, "A lottery anyone can check").
 */
export function LotteryNote({ roomId, lottery }: LotteryNoteProps) {
  const drawPath = `/api/rooms/${encodeURIComponent(roomId)}/lottery`;
  return (
    <details className="muted small">
      <summary>
        {lottery.drawn
          ? 'The order was drawn by lot: check it'
          : 'Everyone who joins before the opening is put in a random order'}
      </summary>
      <p>
        The draw’s secret seed was fixed before anyone could join. Its SHA-256 fingerprint is{' '}
        <code>{lottery.commitment}</code>.
      </p>
      {lottery.drawn ? (
        <p>
          Drawn{lottery.drawnAt ? ` at ${new Date(lottery.drawnAt).toLocaleString('en')}` : ''} with the seed{' '}
          <code>{lottery.seed}</code>. The list and the order are at <a href={drawPath}>{drawPath}</a>.
        </p>
      ) : (
        <p>Note it: when the sale opens, the seed is published and anyone can recompute the order from it.</p>
      )}
    </details>
  );
}
