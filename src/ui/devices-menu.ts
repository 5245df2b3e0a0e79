// The device menu of the control bar (`controls`): a menu button (WAI-ARIA Authoring Practices, "Menu Button")
// whose menu lists the cameras, the microphones and, where the browser can choose one, the speakers, each as a
// `menuitemradio` checked for the device in use. Keyboard: Enter, Space or ArrowDown on the button open it on the
// first item, ArrowUp on the last; in the menu ArrowDown/ArrowUp move (wrapping), Home/End go to the ends, Enter or
// Space choose, Escape closes it back to the button, Tab closes it. A choice fires the cancelable `control` event
// (`camera-device`, `microphone-device`, `speaker-device`, with the deviceId), as every control of the bar does,
// then sets the element's attribute (`camera-id`, `microphone-id`, `speaker-id`), as an app would.
import type { TemplateResult } from 'lit';
import { LIST_OF, type CallMedia, type DeviceKind } from '../media/call.js';
import { allowed } from './controls.js';
import type { HtmlTag } from './html.js';
import { icon } from './icons.js';
import type { UiStrings } from './strings.js';

/** What the menu reads and operates: the element. */
export interface DeviceMenuHost extends HTMLElement {
  readonly updateComplete: Promise<boolean>;
  requestUpdate(): void;
}

const ATTRIBUTE = { camera: 'camera-id', microphone: 'microphone-id', speaker: 'speaker-id' } as const;
const KINDS: readonly DeviceKind[] = ['camera', 'microphone', 'speaker'];

const styles = `<style>
  .devices {
    position: relative;
    display: inline-flex;
  }
  [part='devices-menu'] {
    position: absolute;
    bottom: calc(100% + 4px);
    left: 0;
    z-index: 1;
    min-width: 240px;
    max-height: 60vh;
    overflow: auto;
    padding: 4px 0;
    border-radius: 8px;
    background: var(--trtc-room-menu-background, #fff);
    color: var(--trtc-room-menu-color, #202124);
    box-shadow: 0 2px 8px rgb(0 0 0 / 30%);
    font: 14px/1.3 system-ui, sans-serif;
  }
  [part='devices-menu'][hidden] {
    display: none;
  }
  .heading {
    padding: 8px 12px 4px;
    font-weight: 600;
  }
  [role='menuitemradio'] {
    display: flex;
    gap: 8px;
    padding: 8px 12px;
    cursor: pointer;
  }
  [role='menuitemradio']::before {
    content: '';
    width: 1em;
  }
  [role='menuitemradio'][aria-checked='true']::before {
    content: '✓';
  }
  [role='menuitemradio']:focus {
    outline: 3px solid var(--trtc-room-focus-ring, #1a73e8);
    outline-offset: -3px;
  }
</style>`;
let stylesTemplate: TemplateStringsArray | undefined;

/** One menu per element (kept by RoomUi across visits): whether it is open, and where the focus goes. */
export class DeviceMenu {
  open = false;

  constructor(private readonly host: DeviceMenuHost) {}

  render(call: CallMedia, strings: UiStrings, html: HtmlTag): TemplateResult {
    stylesTemplate ??= Object.assign([styles], { raw: [styles] }) as unknown as TemplateStringsArray;
    const devices = call.devices;
    const group = (kind: DeviceKind) => {
      const list = devices[LIST_OF[kind]];
      if (!list.length) return '';
      const inUse = call.inUse(kind);
      const name = strings[LIST_OF[kind]];
      return html`<div role="group" aria-label=${name}>
        <div class="heading" aria-hidden="true">${name}</div>
        ${list.map(
          ({ deviceId, label }) =>
            html`<div
              role="menuitemradio"
              tabindex="-1"
              aria-checked=${deviceId === inUse ? 'true' : 'false'}
              @click=${() => this.choose(kind, deviceId)}
            >
              ${label}
            </div>`,
        )}
      </div>`;
    };
    return html`${html(stylesTemplate)}
      <div class="devices" @focusout=${(event: FocusEvent) => this.focusOut(event)}>
        <button
          type="button"
          part="control devices"
          id="trtc-room-devices"
          aria-haspopup="menu"
          aria-expanded=${this.open ? 'true' : 'false'}
          aria-controls="trtc-room-devices-menu"
          @click=${() => (this.open ? this.close(true) : this.show(0))}
          @keydown=${(event: KeyboardEvent) => this.buttonKey(event)}
        >
          ${icon('devices', true, html)}<span class="text">${strings.devices}</span>
        </button>
        <div
          part="devices-menu"
          role="menu"
          id="trtc-room-devices-menu"
          aria-labelledby="trtc-room-devices"
          ?hidden=${!this.open}
          @keydown=${(event: KeyboardEvent) => this.menuKey(event)}
        >
          ${KINDS.map(group)}
        </div>
      </div>`;
  }

  private items(): HTMLElement[] {
    return [...(this.host.shadowRoot?.querySelectorAll<HTMLElement>('[role="menuitemradio"]') ?? [])];
  }

  /** Opens the menu with the focus on item `index` (-1: the last). */
  private async show(index: number): Promise<void> {
    this.open = true;
    this.host.requestUpdate();
    await this.host.updateComplete;
    const items = this.items();
    items.at(index)?.focus();
  }

  private close(focusButton: boolean): void {
    if (!this.open) return;
    this.open = false;
    this.host.requestUpdate();
    if (focusButton) this.host.shadowRoot?.querySelector<HTMLElement>('[part~="devices"]')?.focus();
  }

  private choose(kind: DeviceKind, deviceId: string): void {
    // The element reads the attribute as its property: the same change an app would make, unless the app refuses.
    if (allowed(this.host, { control: `${kind}-device`, pressed: true, deviceId }))
      this.host.setAttribute(ATTRIBUTE[kind], deviceId);
    this.close(true);
  }

  private buttonKey(event: KeyboardEvent): void {
    const index = { Enter: 0, ' ': 0, ArrowDown: 0, ArrowUp: -1 }[event.key];
    if (index === undefined) return;
    event.preventDefault();
    void this.show(index);
  }

  private menuKey(event: KeyboardEvent): void {
    const items = this.items();
    const current = items.indexOf(event.target as HTMLElement);
    const move = (index: number) => items[(index + items.length) % items.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        move(current + 1);
        break;
      case 'ArrowUp':
        move(current - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(-1);
        break;
      case 'Escape':
        this.close(true);
        break;
      case 'Enter':
      case ' ':
        (event.target as HTMLElement).click();
        break;
      case 'Tab':
        this.close(false);
        return;
      default:
        return;
    }
    event.preventDefault();
  }

  /** The focus left the button and its menu (a click elsewhere, Tab): the menu closes. */
  private focusOut(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null;
    if (!next || !(event.currentTarget as HTMLElement).contains(next)) this.close(false);
  }
}
