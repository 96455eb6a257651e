import { Type } from 'typebox';

const HEX_256 = '^[0-9a-f]{64}$';

export const LotteryStateBody = Type.Object(
  {
    commitment: Type.String({
      pattern: HEX_256,
      description:
        'SHA-256 (hex) of the secret seed the pre-queue will be drawn with, published from the moment ' +
        'the room is a lottery, before anyone can join it',
    }),
    drawn: Type.Boolean(),
    drawnAt: Type.Optional(Type.String({ format: 'date-time', description: 'Once drawn' })),
    seed: Type.Optional(
      Type.String({ description: 'Once drawn: the seed, whose SHA-256 is the commitment' }),
    ),
  },
  {
    title: 'LotteryState',
    description:
      'A lottery room’s draw as anyone may know it (docs/SECURITY.md, "A lottery anyone can check")',
  },
);

export const PublishedDrawBody = Type.Object(
  {
    roomId: Type.String(),
    commitment: Type.String({ pattern: HEX_256 }),
    drawnAt: Type.String({ format: 'date-time' }),
    seed: Type.String(),
    ticketIds: Type.Array(Type.String(), {
      description: 'The pre-queue the draw was made over, sorted by ticket id',
    }),
    order: Type.Array(Type.String(), {
      description: 'The drawn order: ticketIds sorted by SHA-256(seed + ":" + ticketId), lowest first (hex)',
    }),
  },
  { title: 'PublishedDraw' },
);
