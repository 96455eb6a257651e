import type { RoomState } from '../room-state';

const LABELS: Record<RoomState, string> = {
  scheduled: 'Scheduled',
  open: 'Open',
  paused: 'Paused',
  closed: 'Closed',
};

export function RoomStateBadge({ state }: { state: RoomState }) {
  return <span className={`badge badge--${state}`}>{LABELS[state]}</span>;
}
