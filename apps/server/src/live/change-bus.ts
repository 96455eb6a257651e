import { randomBytes } from 'node:crypto';
import type { RoomChange, WaitingRoomEngine } from '@waitroom/core';
import type { RedisClient } from '@waitroom/store-redis';

/** What travels on the channel: one message per room change, never one per ticket. */
interface ChangeMessage {
  /** The instance that made the change, so that it does not apply its own message again. */
  from: string;
  change: Omit<RoomChange, 'remote'>;
}

/**
 * Tells every other server instance about the room changes this one makes, through Redis
 * pub/sub, and applies theirs here: an admission made by one instance's tick reaches the
 * live streams held by all of them. A join moves nobody's position, so it is not sent.
 */
export class RedisChangeBus {
  readonly instanceId = randomBytes(6).toString('hex');
  private subscriber: RedisClient | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly channel: string;
  sent = 0;
  received = 0;

  constructor(
    private readonly client: RedisClient,
    private readonly engine: WaitingRoomEngine,
    keyPrefix: string,
    private readonly onError: (message: string) => void = () => {},
  ) {
    this.channel = `${keyPrefix}changes`;
  }

  async start(): Promise<void> {
    // A connection in subscriber mode can do nothing else: a second one, which resubscribes
    // by itself after a reconnect.
    const subscriber = this.client.duplicate();
    subscriber.on('error', () => {});
    subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.channel) this.receive(text);
    });
    if (subscriber.status === 'wait') await subscriber.connect();
    await subscriber.subscribe(this.channel);
    this.subscriber = subscriber;
    this.unsubscribe = this.engine.onChange((change) => this.send(change));
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    const subscriber = this.subscriber;
    this.subscriber = null;
    if (subscriber) {
      try {
        await subscriber.quit();
      } catch {
        subscriber.disconnect();
      }
    }
  }

  private send(change: RoomChange): void {
    if (change.remote) return;
    const moves =
      change.admitted + change.abandoned + change.left + change.admissionsExpired + change.completed;
    if (moves === 0 && !change.settings) return;
    const { remote: _remote, ...plain } = change;
    const message: ChangeMessage = { from: this.instanceId, change: plain };
    this.sent++;
    this.client.publish(this.channel, JSON.stringify(message)).catch((error: Error) => {
      // Other instances still catch up on their next quiet-room read; say so once in a while.
      this.onError(`could not publish a room change: ${error.message}`);
    });
  }

  private receive(text: string): void {
    let message: ChangeMessage;
    try {
      message = JSON.parse(text) as ChangeMessage;
    } catch {
      return;
    }
    if (message.from === this.instanceId || typeof message.change?.roomId !== 'string') return;
    this.received++;
    this.engine.applyRemoteChange(message.change).catch(() => {});
  }
}
