import type { RoomStatus } from '../../../shared/api/types';
import { Notice } from '../../../shared/ui/notice';
import { OpeningCountdown } from './opening-countdown';

/** What the room's state means for someone in its line. */
export function RoomNotice({ roomStatus, opensAt }: { roomStatus: RoomStatus; opensAt: string | null }) {
  switch (roomStatus) {
    case 'scheduled':
      return <OpeningCountdown opensAt={opensAt} />;
    case 'paused':
      return (
        <Notice tone="warning" title="The sale is paused">
          <p>
            The shop has paused letting people in. You keep your place: keep this page open and the line will
            move again when the sale resumes.
          </p>
        </Notice>
      );
    case 'closed':
      return (
        <Notice tone="error" title="The sale is closed">
          <p>Nobody else will be let in from this line. You can leave it now.</p>
        </Notice>
      );
    case 'open':
      return null;
  }
}
