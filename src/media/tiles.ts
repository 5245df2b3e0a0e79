// The built-in layout, loaded at the first join with the rest of src/media/: a page that never enters a room
// pays nothing for it. Its styles travel with it (a <style> in the template), not in the element's static styles.
// Lit's `html` comes from the element: imported here, it would make bundlers that split code (esbuild) move Lit
// into a chunk of its own, shared by the entry and this one, which costs the entry about 230 bytes gzipped.
import type { html as Html, TemplateResult } from 'lit';

export type HtmlTag = typeof Html;

export interface Tile {
  userId: string;
  local: boolean;
  /** Whether a video plays in the view (otherwise the tile shows the userId only). */
  video: boolean;
  /** The container the SDK plays into; kept across renders, so the SDK's own <video> stays in it. */
  view: HTMLElement;
}

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
    padding: 2px 6px;
    border-radius: 4px;
    font: 12px/1.4 system-ui, sans-serif;
    color: #fff;
    background: rgb(0 0 0 / 0.5);
  }
</style>`;
let stylesTemplate: TemplateStringsArray | undefined;

/** One tile per participant in a responsive grid. The local user's view holds the SDK's mirrored, muted preview. */
export function renderTiles(tiles: readonly Tile[], html: HtmlTag): TemplateResult {
  // One strings array for the styles, made once: Lit keys its template cache on it.
  stylesTemplate ??= Object.assign([styles], { raw: [styles] }) as unknown as TemplateStringsArray;
  return html`${html(stylesTemplate)}
    <div part="tiles">
      ${tiles.map(
        (tile) =>
          html`<div
            part="tile ${tile.local ? 'local' : 'remote'}"
            data-user-id=${tile.userId}
            data-video=${String(tile.video)}
          >
            ${tile.view}<span part="label">${tile.userId}</span>
          </div>`,
      )}
    </div>`;
}
