// The control bar (`controls`): real buttons whose state follows the element's properties, each click a cancelable
// `control` event first (as TUIRoomKit's interceptors), then the same change an app would make.
import type { TemplateResult } from 'lit';
import type { Capabilities, ControlDetail } from '../events.js';
import { icon } from './icons.js';
import type { UiStrings } from './strings.js';
import type { HtmlTag } from './html.js';

/** What the bar reads and operates: the element. */
export interface ControlHost extends HTMLElement {
  camera: boolean;
  microphone: boolean;
  screen: boolean;
  /** What the browser can do (detected at the first join): the screen toggle is shown where `screenShare`. */
  readonly capabilities?: Capabilities | undefined;
  leave(): Promise<void>;
  resumeAudio(): Promise<void>;
}

const styles = `<style>
  [part='controls'] {
    container: trtc-room-controls / inline-size;
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: var(--trtc-room-control-gap, 8px);
    padding: 8px 0;
  }
  [part~='control'],
  [part='unblock'] {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    min-height: 40px;
    padding: 0 14px;
    border: 1px solid transparent;
    border-radius: 20px;
    font: 14px/1 system-ui, sans-serif;
    color: var(--trtc-room-control-color, #fff);
    background: var(--trtc-room-control-background, #3c4043);
    cursor: pointer;
  }
  [part~='control'][aria-pressed='false'] {
    color: var(--trtc-room-control-off-color, #202124);
    background: var(--trtc-room-control-off-background, #e8eaed);
  }
  [part~='leave'] {
    background: var(--trtc-room-leave-background, #c5221f);
  }
  [part~='control']:focus-visible,
  [part='unblock']:focus-visible {
    outline: 3px solid var(--trtc-room-focus-ring, #1a73e8);
    outline-offset: 2px;
  }
  [part='unblock'] {
    margin: 8px auto 0;
    background: var(--trtc-room-unblock-background, #1a73e8);
  }
  .unblock {
    display: flex;
  }
  /* Narrow: icons only on screen, the label still the button's name (visually hidden, not removed). */
  @container trtc-room-controls (max-width: 360px) {
    [part~='control'] .text {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
  }
</style>`;
let stylesTemplate: TemplateStringsArray | undefined;

/** Dispatches the cancelable `control` event; true when nobody called preventDefault(). */
export function allowed(host: HTMLElement, detail: ControlDetail): boolean {
  return host.dispatchEvent(new CustomEvent('control', { detail, bubbles: true, composed: true, cancelable: true }));
}

type Toggle = 'microphone' | 'camera' | 'screen';

function toggle(host: ControlHost, device: Toggle): void {
  const pressed = !host[device];
  if (!allowed(host, { control: device, pressed })) return;
  host[device] = pressed;
  // The attribute follows (the property is not reflected: an app's own setting leaves the attribute as it is).
  host.toggleAttribute(device, pressed);
}

function leave(host: ControlHost): void {
  // leave() reports its failures as `error` events; nothing is left to do with its promise here.
  if (allowed(host, { control: 'leave', pressed: true })) void host.leave();
}

/**
 * The bar: microphone, camera and (where the browser can: `capabilities.screenShare`) screen-share toggles
 * (`aria-pressed` = the element's property), `more` (the device menu), then leave.
 */
export function renderControls(
  host: ControlHost,
  strings: UiStrings,
  html: HtmlTag,
  more: unknown = '',
): TemplateResult {
  stylesTemplate ??= Object.assign([styles], { raw: [styles] }) as unknown as TemplateStringsArray;
  const device = (name: Toggle) =>
    html`<button
      type="button"
      part="control ${name}"
      aria-pressed=${host[name] ? 'true' : 'false'}
      @click=${() => toggle(host, name)}
    >
      ${icon(name, !!host[name], html)}<span class="text">${strings[name]}</span>
    </button>`;
  return html`${html(stylesTemplate)}
    <div part="controls" role="group" aria-label=${strings.controls}>
      ${device('microphone')}${device('camera')}${host.capabilities?.screenShare ? device('screen') : ''}${more}
      <button type="button" part="control leave" @click=${() => leave(host)}>
        ${icon('leave', true, html)}<span class="text">${strings.leave}</span>
      </button>
    </div>`;
}

function resume(host: ControlHost): void {
  // The button stays while audio is still blocked: the next click tries again.
  host.resumeAudio().catch((error: unknown) => console.warn('<trtc-room>: playing the blocked audio failed:', error));
}

/** Shown while the browser blocks remote audio: a click plays it (resumeAudio()). */
export function renderUnblock(host: ControlHost, strings: UiStrings, html: HtmlTag): TemplateResult {
  return html`<div class="unblock">
    <button type="button" part="unblock" @click=${() => resume(host)}>
      ${icon('unblock', true, html)}<span>${strings.unblock}</span>
    </button>
  </div>`;
}
