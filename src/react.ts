/**
 * JSX types for `<trtc-room>` in React 19 with TypeScript. Add once, anywhere in the app:
 *
 *     import type {} from 'trtc-room/react';
 *
 * Types only: nothing here runs. React 19 passes these props to the element as properties and turns
 * `on<event>` props into listeners (`onbanned`, `onpeer-join`, …).
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { TrtcRoomEventDetails } from './events.js';
import type { TrtcRoomInputs } from './inputs.js';
import type { TrtcRoom } from './trtc-room.js';

/** `onjoined`, `onbanned`, `onpeer-join`, …: each gets the event's CustomEvent type. */
type EventProps = {
  [K in keyof TrtcRoomEventDetails as `on${K}`]?: (event: CustomEvent<TrtcRoomEventDetails[K]>) => void;
};

/** The props `<trtc-room>` takes in JSX. */
export type TrtcRoomJsxProps = DetailedHTMLProps<HTMLAttributes<TrtcRoom>, TrtcRoom> & TrtcRoomInputs & EventProps;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'trtc-room': TrtcRoomJsxProps;
    }
  }
}
