// Type test (run by `npm test`'s type-check, not in a browser): the JSX types of `trtc-room/react`
// accept the element's props with their real types and give each on<event> prop its detail type.
import React from 'react';
import type {} from '../../src/react.js';
import type { TrtcRoom } from '../../src/index.js';

export const accepted = (
  <trtc-room
    sdkAppId={1400000001}
    roomId={1234}
    userId="alice"
    userSig="sig"
    mode="live"
    role="audience"
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

void React;
