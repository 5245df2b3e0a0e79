// The v5 adapter's remote video against trtc-sdk-v5's own order of work: startRemoteVideo subscribes first and
// plays after (trtc.esm.js `startRemoteVideo`: `yield this._room.subscribe(u)`, then `_updateVideoPlayOption`),
// and the SDK's own stop on REMOTE_VIDEO_UNAVAILABLE (`_onVideoUnavailable` → `_stopRemoteVideo`) stops only a
// player already playing (`stop()` acts `if (this.isPlayCalled)`). A stream that goes while its start is under
// way must not be left playing, frozen, in the tile (seen once in the v5 conformance table on a loaded machine).
import { expect } from '@open-wc/testing';
import '../support/guard.js';
import { connectV5Media, V5_MEDIA_EVENTS, type TrtcV5MediaInstance } from '../../src/sdk/media-v5.js';
import type { MediaHandlers } from '../../src/sdk/adapter.js';

/** Stands for the SDK: a start plays only once its subscription (which the test settles) is done. */
class SdkLikeRemoteVideo implements TrtcV5MediaInstance {
  readonly playing = new Set<string>();
  private readonly handlers = new Map<string, (payload: any) => void>();
  private readonly subscriptions: Array<() => void> = [];
  on(event: string, handler: (payload: any) => void) {
    this.handlers.set(event, handler);
  }
  off(event: string) {
    this.handlers.delete(event);
  }
  fire(event: string, payload: unknown) {
    this.handlers.get(event)?.(payload);
  }
  startRemoteVideo({ userId, streamType }: { userId: string; streamType: string }) {
    return new Promise<void>((resolve) =>
      this.subscriptions.push(() => {
        this.playing.add(`${userId}_${streamType}`);
        resolve();
      }),
    );
  }
  async stopRemoteVideo({ userId, streamType }: { userId: string; streamType: string }) {
    this.playing.delete(`${userId}_${streamType}`);
  }
  /** The subscriptions under way are done: their starts play. */
  subscribed() {
    for (const done of this.subscriptions.splice(0)) done();
  }
}

const handlers: MediaHandlers = {
  onRemoteMedia() {},
  onAutoplayBlocked() {},
  onAutoplayResumed() {},
  onPublishFailed() {},
  viewFor: () => document.createElement('div'),
  onScreenEnded() {},
  onVolumes() {},
  sdkAutoplayDialog: () => true,
};
const eventName = (key: string) => (V5_MEDIA_EVENTS as Record<string, string>)[key] ?? key;
const settle = () => new Promise((resolve) => setTimeout(resolve));

for (const streamType of ['main', 'sub'] as const) {
  it(`v5 adapter (${streamType}): a stream that goes while its startRemoteVideo is under way is stopped once the start lands`, async () => {
    const sdk = new SdkLikeRemoteVideo();
    connectV5Media(sdk, eventName, handlers, 'alice');
    sdk.fire(V5_MEDIA_EVENTS.REMOTE_VIDEO_AVAILABLE, { userId: 'bob', streamType });
    sdk.fire(V5_MEDIA_EVENTS.REMOTE_VIDEO_UNAVAILABLE, { userId: 'bob', streamType });
    sdk.subscribed();
    await settle();
    expect([...sdk.playing]).to.deep.equal([]);
  });

  it(`v5 adapter (${streamType}): a stream still there when its start lands goes on playing`, async () => {
    const sdk = new SdkLikeRemoteVideo();
    connectV5Media(sdk, eventName, handlers, 'alice');
    sdk.fire(V5_MEDIA_EVENTS.REMOTE_VIDEO_AVAILABLE, { userId: 'bob', streamType });
    sdk.subscribed();
    await settle();
    expect([...sdk.playing]).to.deep.equal([`bob_${streamType}`]);
  });
}
