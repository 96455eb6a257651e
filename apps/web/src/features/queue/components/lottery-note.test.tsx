import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LotteryNote } from './lottery-note';

const COMMITMENT = 'ab'.repeat(32);

describe('the lottery note', () => {
  it('shows the commitment before the draw, and never a seed', () => {
    render(<LotteryNote roomId="raffle" lottery={{ commitment: COMMITMENT, drawn: false }} />);
    expect(screen.getByText(COMMITMENT)).toBeInTheDocument();
    expect(screen.getByText(/Note it/)).toBeInTheDocument();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });

  it('shows the seed after the draw, and where the draw can be checked', () => {
    const seed = 'cd'.repeat(32);
    render(
      <LotteryNote
        roomId="raffle"
        lottery={{ commitment: COMMITMENT, drawn: true, drawnAt: '2030-01-01T10:00:00.000Z', seed }}
      />,
    );
    expect(screen.getByText(seed)).toBeInTheDocument();
    expect(screen.getByRole('link')).toHaveAttribute('href', '/api/rooms/raffle/lottery');
  });
});
