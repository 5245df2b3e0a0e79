// Type test (run by `npm test`'s type-check, not in a browser): the JSX types of `trtc-room/react`
// accept the element's props with their real types and give each on<event> prop its detail type.
import React from 'react';
import type {} from '../../src/react.js';
import type { AutoplayBlockedDetail, LocalMediaDetail, PeerMediaDetail, TrtcRoom } from '../../src/index.js';

// The media events' detail types are importable from the entry, and are what the events carry.
export const media = (local: LocalMediaDetail, peer: PeerMediaDetail, blocked: AutoplayBlockedDetail) =>
  [local.camera, local.microphone, peer.userId, peer.audio, peer.video, Object.keys(blocked).length] as const;

export const accepted = (
  <trtc-room
    sdkAppId={1400000001}
    roomId={1234}
    userId="alice"
    userSig="sig"
    mode="live"
    role="audience"
    camera
    microphone={false}
    layout="tiles"
    proxy={{ websocketProxy: 'ws://127.0.0.1:8090/signal/v4', loggerProxy: 'http://127.0.0.1:8090/sdk-log' }}
    sdkGeneration="v5"
    onlocal-media={(event) => event.detail.camera}
    onpeer-media={(event) => event.detail.video}
    ref={(el: TrtcRoom | null) => void el?.join()}
    onbanned={(event) => event.detail.reason.toUpperCase()}
    onpeer-join={(event) => event.detail.userId.toUpperCase()}
    onerror={(event) => event.detail.code}
  />
);

// @ts-expect-error roomId is a number, not text
export const textRoomId = <trtc-room roomId="1234" />;
// @ts-expect-error mode is 'rtc' or 'live'
export const badMode = <trtc-room mode="video" />;
// @ts-expect-error a banned event's detail has no such field
export const badDetail = <trtc-room onbanned={(event) => event.detail.nope} />;

// @ts-expect-error layout is 'tiles' or 'none'
export const badLayout = <trtc-room layout="grid" />;

void React;
