// <trtc-room> rendered by React 19, which sets a custom element's props as properties when the element
// has them and turns `on<event>` props into addEventListener. The JSX here is docs/frameworks.md's React snippet.
// (Type-checked with the JSX types of trtc-room/react. React runs as its development build, where
// <StrictMode> double-invokes effects.)
import { expect } from '@open-wc/testing';
import React, { StrictMode, act, useEffect, useRef, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { FakeTrtc } from '../doubles/fake-trtc.js';
import { settle } from '../support/room.js';
import type { BannedDetail, TrtcRoom } from '../../src/index.js';
import type {} from '../../src/react.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLElement;
let root: Root;

async function render(node: unknown): Promise<TrtcRoom> {
  await act(async () => root.render(node as never));
  const el = container.querySelector('trtc-room');
  if (el) await settle(el);
  return el!;
}

/** docs/frameworks.md's snippet. */
function Call({ sdk, roomId, onBanned }: { sdk: FakeTrtc; roomId: number; onBanned: (detail: BannedDetail) => void }) {
  return (
    <trtc-room
      sdkAppId={1400000001}
      roomId={roomId}
      userId="alice"
      userSig="sig"
      sdk={sdk}
      onbanned={(event: CustomEvent<BannedDetail>) => onBanned(event.detail)}
    />
  );
}

describe('<trtc-room> in React 19', () => {
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });

  afterEach(async () => {
    await act(async () => root.unmount());
    container.remove();
  });

  it('passes props to the element as properties, which it joins with', async () => {
    const sdk = new FakeTrtc();
    const el = await render(<Call sdk={sdk} roomId={1234} onBanned={() => {}} />);
    expect(el.sdk).to.equal(sdk);
    expect(el.sdkAppId).to.equal(1400000001);
    expect(el.roomId).to.equal(1234);
    expect(el.hasAttribute('room-id'), 'a property, not an attribute').to.equal(false);
    expect(el.state).to.equal('joined');
    expect(sdk.lastClient.config).to.deep.equal({ sdkAppId: 1400000001, userId: 'alice', userSig: 'sig', mode: 'rtc' });
    expect(sdk.joins).to.deep.equal([{ roomId: 1234 }]);
  });

  it('delivers banned to an onbanned prop, with the reason', async () => {
    const sdk = new FakeTrtc();
    const bans: BannedDetail[] = [];
    await render(<Call sdk={sdk} roomId={1234} onBanned={(detail) => bans.push(detail)} />);
    sdk.lastClient.fire('client-banned', { reason: 'kick', message: 'kicked' });
    expect(bans).to.have.length(1);
    expect(bans[0]).to.include({ reason: 'duplicate-user-id', roomId: 1234, userId: 'alice' });
  });

  it('hyphenated events are on<event-name> props too: onpeer-join, onstate-change', async () => {
    const sdk = new FakeTrtc();
    const peers: string[] = [];
    const states: string[] = [];
    await render(
      <trtc-room
        sdkAppId={1400000001}
        roomId={1234}
        userId="alice"
        userSig="sig"
        sdk={sdk}
        onpeer-join={(event: CustomEvent<{ userId: string }>) => peers.push(event.detail.userId)}
        onstate-change={(event: CustomEvent<{ state: string }>) => states.push(event.detail.state)}
      />,
    );
    sdk.lastClient.fire('peer-join', { userId: 'bob' });
    expect(peers).to.deep.equal(['bob']);
    expect(states).to.deep.equal(['joining', 'joined']);
  });

  it('a new roomId prop moves the element to the new room, with one client alive', async () => {
    const sdk = new FakeTrtc();
    await render(<Call sdk={sdk} roomId={1234} onBanned={() => {}} />);
    const el = await render(<Call sdk={sdk} roomId={5678} onBanned={() => {}} />);
    expect(el.state).to.equal('joined');
    expect(sdk.joins.at(-1)).to.deep.equal({ roomId: 5678 });
    expect(sdk.liveClients).to.have.length(1);
  });

  it('under <StrictMode>, double-invoked effects that listen, join and leave end with exactly one client in the room', async () => {
    const sdk = new FakeTrtc();
    const bans: string[] = [];
    let effectRuns = 0;
    // A component written the React 18 way: a ref, an effect adding a listener and calling join(), a cleanup undoing both.
    function EffectfulCall() {
      const ref = useRef<TrtcRoom>(null);
      const [userId] = useState('alice');
      useEffect(() => {
        effectRuns += 1;
        const el = ref.current!;
        const onBanned = (event: CustomEvent<BannedDetail>) => bans.push(event.detail.reason);
        el.addEventListener('banned', onBanned);
        el.join().catch(() => {});
        return () => {
          el.removeEventListener('banned', onBanned);
          void el.leave();
        };
      }, []);
      return <trtc-room ref={ref} sdkAppId={1400000001} roomId={1234} userId={userId} userSig="sig" sdk={sdk} />;
    }
    const el = await render(
      <StrictMode>
        <EffectfulCall />
      </StrictMode>,
    );
    expect(effectRuns, 'StrictMode ran the effect twice').to.equal(2);
    expect(el.state).to.equal('joined');
    expect(sdk.liveClients, 'exactly one live SDK client').to.have.length(1);
    expect(sdk.liveClients[0].joinCalls).to.deep.equal([{ roomId: 1234 }]);
    expect(sdk.clients.filter((client) => client !== sdk.liveClients[0]).every((client) => client.destroyed)).to.equal(
      true,
    );

    sdk.liveClients[0].fire('client-banned', { reason: 'kick', message: 'kicked' });
    expect(bans, 'one listener left after the double effect').to.deep.equal(['duplicate-user-id']);
  });

  it('under <StrictMode>, the plain snippet joins once, and unmounting leaves and destroys the client', async () => {
    const sdk = new FakeTrtc();
    const el = await render(
      <StrictMode>
        <Call sdk={sdk} roomId={1234} onBanned={() => {}} />
      </StrictMode>,
    );
    expect(el.state).to.equal('joined');
    expect(sdk.clients).to.have.length(1);
    expect(sdk.liveClients).to.have.length(1);
    await act(async () => root.render(null));
    await settle();
    await settle(el);
    expect(el.state).to.equal('left');
    expect(sdk.liveClients).to.have.length(0);
    expect(sdk.lastClient.leaveCalls).to.equal(1);
  });
});
