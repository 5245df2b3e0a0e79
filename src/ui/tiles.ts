// The built-in layout, loaded at the first join with the rest of the call: a page that never enters a room
// pays nothing for it. Its styles travel with it (a <style> in the template), not in the element's static styles.
// Lit's `html` comes from the element: imported here, it would make bundlers that split code (esbuild) move Lit
// into a chunk of its own, shared by the entry and this one, which costs the entry about 230 bytes gzipped.
import type { TemplateResult } from 'lit';
import type { HtmlTag } from './html.js';
import type { Participant } from '../media/call.js';
import { icon } from './icons.js';
import { fill, type UiStrings } from './strings.js';

/** Written into the template (not bound: Lit does not bind inside <style>). */
const styles = `<style>
  [part='tiles'] {
    display: grid;
    gap: var(--trtc-room-tile-gap, 8px);
    grid-template-columns: repeat(auto-fit, minmax(min(100%, var(--trtc-room-tile-min-width, 240px)), 1fr));
  }
  [part~='tile'] {
    position: relative;
    overflow: hidden;
    aspect-ratio: var(--trtc-room-tile-aspect-ratio, 16 / 9);
    background: var(--trtc-room-tile-background, #222);
    border-radius: var(--trtc-room-tile-radius, 8px);
  }
  [part~='poor-network'] [part='label'] {
    background: var(--trtc-room-poor-network-background, #b3261e);
  }
  [part~='screen'] {
    grid-column: 1 / -1;
    background: var(--trtc-room-tile-background, #000);
  }
  [part~='screen'] video {
    object-fit: contain !important;
  }
  [part~='speaking'] {
    box-shadow: inset 0 0 0 3px var(--trtc-room-speaking-color, #3ddc84);
  }
  .view {
    position: absolute;
    inset: 0;
  }
  [data-video='false'] .view {
    display: none;
  }
  [part='label'] {
    position: absolute;
    left: 8px;
    bottom: 8px;
    display: flex;
    align-items: center;
    gap: 4px;
    padding: 2px 6px;
    border-radius: 4px;
    font: 12px/1.4 system-ui, sans-serif;
    color: #fff;
    background: rgb(0 0 0 / 0.6);
  }
  [part='muted-icon'] {
    display: flex;
  }
  [part='muted-icon'] svg {
    width: 14px;
    height: 14px;
  }
</style>`;
let stylesTemplate: TemplateStringsArray | undefined;

/** A tile's accessible name: "alice (you)", "bob, microphone off", "carol, speaking", "dave's screen". */
export function tileName(participant: Participant, strings: UiStrings): string {
  if (participant.screen) return fill(strings.screenOf, { name: participant.userId });
  const parts = [participant.local ? fill(strings.you, { name: participant.userId }) : participant.userId];
  if (participant.speaking) parts.push(strings.speaking);
  if (participant.poorNetwork) parts.push(strings.poorNetwork);
  if (!participant.audio) parts.push(strings.microphoneOff);
  if (!participant.video) parts.push(strings.cameraOff);
  return parts.join(strings.separator);
}

/**
 * One tile per participant in a responsive grid, after a tile per remote screen share (`tile screen`, across the
 * grid's full width). The local user's view holds the SDK's mirrored, muted preview.
 * With `state` (the element's `controls`), a tile's part names also say `speaking`, `audio-muted`,
 * `video-muted` and `poor-network`, and a muted microphone shows an icon.
 */
export function renderTiles(
  participants: readonly Participant[],
  strings: UiStrings,
  state: boolean,
  html: HtmlTag,
): TemplateResult {
  // One strings array for the styles, made once: Lit keys its template cache on it.
  stylesTemplate ??= Object.assign([styles], { raw: [styles] }) as unknown as TemplateStringsArray;
  const partOf = (p: Participant) =>
    p.screen
      ? 'tile screen'
      : [
          'tile',
          p.local ? 'local' : 'remote',
          ...(state
            ? [
                p.speaking ? 'speaking' : '',
                p.audio ? '' : 'audio-muted',
                p.video ? '' : 'video-muted',
                p.poorNetwork ? 'poor-network' : '',
              ].filter(Boolean)
            : []),
        ].join(' ');
  return html`${html(stylesTemplate)}
    <div part="tiles">
      ${participants.map(
        (p) =>
          html`<div
            part=${partOf(p)}
            role="group"
            aria-label=${tileName(state ? p : { ...p, poorNetwork: false }, strings)}
            data-user-id=${p.userId}
            data-video=${String(p.video)}
          >
            ${p.view}<span part="label"
              >${
                state && !p.audio && !p.screen
                  ? html`<span part="muted-icon">${icon('microphone', false, html)}</span>`
                  : ''
              }${p.screen ? fill(strings.screenOf, { name: p.userId }) : p.userId}</span
            >
          </div>`,
      )}
    </div>`;
}
