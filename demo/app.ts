// The demo page: one <trtc-room> on the networked emulator, through the emulated SDK or the unmodified
// trtc-js-sdk / trtc-sdk-v5 (their proxy setting pointed at it), or, clearly marked, the real TRTC cloud;
// a form, the peers, a time-stamped event log, and an admin panel that asks the demo server to call the
// emulator's Tencent Cloud API.
// The opt-in entry: the element, and trtc-sdk-v5 importable at the first join with sdk="v5".
import '../src/sdk-v5.js';
import type { BanReason, TrtcRoom } from '../src/index.js';
import { connectTrtcEmulator } from '../src/emulator/page/remote.js';

interface DemoConfig {
  sdkAppId: number;
}
interface RoomView {
  sdkAppId: number;
  roomId: number | string;
  members: string[];
  disconnected: string[];
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const room = $<TrtcRoom>('room');
const form = $<HTMLFormElement>('join-form');
const sdkChoice = $<HTMLSelectElement>('sdk-choice');
const emulator = connectTrtcEmulator(location.origin);
const config: DemoConfig = await (await fetch('/api/config')).json();
/** What the emulator says to give each real SDK's proxy setting. */
const proxies: { v4: Record<string, string>; v5: Record<string, string> } = await (await fetch('/proxy')).json();

/** What each ban reason means, in words a person understands, naming the server API the room's kind takes. */
function banWords(reason: BanReason, roomId: number | string): [string, string] {
  switch (reason) {
    case 'duplicate-user-id':
      return [
        'Signed in somewhere else',
        'TRTC removed you from this room because the same user id joined it from another tab or device. TRTC allows one connection per user id in a room; this page will not rejoin by itself.',
      ];
    case 'removed-by-admin':
      return [
        'Removed from the room',
        `The app's server removed you from this room (server API ${actionFor('remove', roomId)}).`,
      ];
    case 'room-dismissed':
      return [
        'The room was closed',
        `The app's server dismissed this room (server API ${actionFor('dismiss', roomId)}); everyone in it was removed.`,
      ];
    default:
      return ['Removed from the room', 'TRTC removed you from this room.'];
  }
}

/** The rule the user-id field's pattern enforces, said in the page and in the browser's own message. */
const USER_ID_RULE = 'A user id is 1–32 characters of A–Z a–z 0–9 _ -';

// --- the form --------------------------------------------------------------------------------------

const params = new URLSearchParams(location.search);
form.sdkAppId.value = String(config.sdkAppId);
if (params.get('user')) form.userId.value = params.get('user');
if (params.get('room')) form.roomId.value = params.get('room');
if (params.get('strRoom')) {
  form.roomId.value = params.get('strRoom');
  (form.querySelector('input[value=string]') as HTMLInputElement).checked = true;
}

/** Replaces the browser's "match the requested format" with the rule itself. */
function checkUserId(): void {
  form.userId.setCustomValidity('');
  if (form.userId.validity.patternMismatch) form.userId.setCustomValidity(`${USER_ID_RULE}.`);
}
form.userId.addEventListener('input', checkUserId);
checkUserId();

type SdkChoice = 'emulated' | 'v4-emulator' | 'v5-emulator' | 'cloud';

/** Which SDK the element uses and where its signalling goes. */
function useSdk(choice: SdkChoice): void {
  const cloud = choice === 'cloud';
  $('real-warning').hidden = !cloud;
  $('user-sig-field').hidden = !cloud;
  form.userSig.required = cloud;
  form.sdkAppId.value = cloud ? (sessionStorage.getItem('real-sdk-app-id') ?? '') : String(config.sdkAppId);
  // Unset, the element imports the real SDK that sdkGeneration names at the first join.
  room.sdk = choice === 'emulated' ? emulator.sdk : undefined;
  room.sdkGeneration = choice === 'v5-emulator' ? 'v5' : 'v4';
  // The unmodified SDK, its signalling sent to the local emulator instead of Tencent's servers.
  room.proxy = choice === 'v4-emulator' ? proxies.v4 : choice === 'v5-emulator' ? proxies.v5 : undefined;
  $('proxy-note').hidden = !room.proxy;
  $('proxy-sdk').textContent = choice === 'v5-emulator' ? 'trtc-sdk-v5' : 'trtc-js-sdk';
}
const chosen = params.get('sdk');
if (chosen && [...sdkChoice.options].some((option) => option.value === chosen)) sdkChoice.value = chosen;
sdkChoice.addEventListener('change', () => useSdk(sdkChoice.value as SdkChoice));
useSdk(sdkChoice.value as SdkChoice);

async function userSigFor(sdkAppId: number, userId: string): Promise<string> {
  if (sdkChoice.value === 'cloud') {
    sessionStorage.setItem('real-sdk-app-id', String(sdkAppId)); // kept in this tab only
    return form.userSig.value;
  }
  const response = await fetch(`/api/user-sig?sdkAppId=${sdkAppId}&userId=${encodeURIComponent(userId)}`);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? 'The demo server could not sign a userSig.');
  return body.userSig;
}

/** Shows why a join did not start, and what to do, in the room's failure box. */
function showFailure(text: string): void {
  $('failure').textContent = text;
  $('failure').hidden = false;
}

/** Turns a failed request to the demo server into a sentence saying what to do. */
function serverTrouble(error: unknown): string {
  if (error instanceof TypeError) {
    // fetch() rejects with a TypeError when nothing answers at all.
    return `The demo server at ${location.origin} does not answer: it was stopped. Start it again with npm start, then press Join.`;
  }
  return error instanceof Error ? error.message : String(error);
}

async function joinFromForm(): Promise<void> {
  const sdkAppId = Number(form.sdkAppId.value);
  const userId = form.userId.value.trim();
  const stringRoom = (form.querySelector('input[name=roomKind]:checked') as HTMLInputElement).value === 'string';
  $('failure').hidden = true;
  if (sdkChoice.value !== 'cloud' && sdkAppId !== config.sdkAppId) {
    showFailure(
      `The local emulator serves SDKAppID ${config.sdkAppId} only, not ${form.sdkAppId.value}. ` +
        `Put ${config.sdkAppId} back to join here, or choose "Real trtc-js-sdk → TRTC cloud" above to use your own SDKAppID and UserSig.`,
    );
    return;
  }
  try {
    room.userSig = await userSigFor(sdkAppId, userId);
  } catch (error) {
    showFailure(`Could not get a UserSig for ${userId}. ${serverTrouble(error)}`);
    return;
  }
  room.sdkAppId = sdkAppId;
  room.userId = userId;
  room.roomId = stringRoom ? undefined : (form.roomId.value as unknown as number);
  room.strRoomId = stringRoom ? form.roomId.value : undefined;
  await room.join().catch(() => undefined); // failures are shown from the `error` event
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  // A wrong SDKAppID or a stopped demo server fails before the element is asked: say so on the page.
  joinFromForm().catch((error: unknown) =>
    showFailure(`Could not join: ${error instanceof Error ? error.message : String(error)}`),
  );
});
$('leave').addEventListener('click', () => void room.leave());
$('join-again').addEventListener('click', () => void room.join().catch(() => undefined));

// --- the room --------------------------------------------------------------------------------------

const peers = new Set<string>();
/** This page's own user id while it is in the room, listed first among the people here. */
let me: string | undefined;
function renderPeers(): void {
  const item = (userId: string) => Object.assign(document.createElement('li'), { textContent: userId });
  const note = (text: string) => Object.assign(document.createElement('li'), { className: 'muted', textContent: text });
  if (me === undefined) {
    $('peers').replaceChildren(note('not in a room'));
    return;
  }
  const you = item(me);
  you.className = 'you';
  you.append(Object.assign(document.createElement('span'), { className: 'you-tag', textContent: ' (you)' }));
  $('peers').replaceChildren(you, ...(peers.size ? [...peers].map(item) : [note('nobody else')]));
}

room.addEventListener('state-change', (event) => {
  const { state } = event.detail;
  $('state-badge').textContent = state;
  $('leave').toggleAttribute('disabled', state !== 'joined' && state !== 'joining');
  if (state === 'joining') {
    $('ban').hidden = true;
    $('failure').hidden = true;
  }
  if (state !== 'joined') {
    me = undefined;
    peers.clear();
    renderPeers();
  }
});
room.addEventListener('joined', (event) => {
  renderPeers();
  const { roomId, userId } = event.detail;
  $('room-label').textContent =
    `${userId} in ${typeof roomId === 'string' ? `string room "${roomId}"` : `room ${roomId}`}`;
  me = userId;
  renderPeers();
});
room.addEventListener('left', () => ($('room-label').textContent = 'not in a room'));
room.addEventListener('banned', (event) => {
  const [title, text] = banWords(event.detail.reason, event.detail.roomId);
  $('ban-title').textContent = title;
  $('ban-text').textContent = text;
  $('ban').hidden = false;
  $('ban').dataset.reason = event.detail.reason;
  $('room-label').textContent = 'not in a room';
});
room.addEventListener('error', (event) => showFailure(`${event.detail.code}: ${event.detail.message}`));
room.addEventListener('peer-join', (event) => {
  peers.add(event.detail.userId);
  renderPeers();
});
room.addEventListener('peer-leave', (event) => {
  peers.delete(event.detail.userId);
  renderPeers();
});

// --- camera, microphone, screen share and audio ------------------------------------------------------
// The element's own controls (`controls`: microphone, camera, screen share where the browser can share a screen,
// leave, and a "Play audio" button while the browser blocks audio) sit in its shadow root, after the tiles
// (docs/ui.md); their `control` events show in the log.

// --- the event log ---------------------------------------------------------------------------------

const ROOM_EVENTS = [
  'joined',
  'left',
  'banned',
  'error',
  'peer-join',
  'peer-leave',
  'connection-state-change',
  'state-change',
] as const;
const EVENTS = [...ROOM_EVENTS, 'local-media', 'peer-media', 'autoplay-blocked', 'control', 'speaking-change'] as const;
for (const type of EVENTS) {
  room.addEventListener(type, (event: Event) => {
    const detail = JSON.stringify((event as CustomEvent).detail, (key, value) => (key === 'cause' ? undefined : value));
    const item = document.createElement('li');
    item.className = type;
    const time = document.createElement('time');
    time.textContent =
      new Date().toLocaleTimeString(undefined, { hour12: false }) + `.${String(Date.now() % 1000).padStart(3, '0')}`;
    const name = Object.assign(document.createElement('span'), { className: 'type', textContent: type });
    item.append(time, name, detail);
    $('log').prepend(item);
  });
}

// --- the admin panel -------------------------------------------------------------------------------

function actionFor(kind: 'remove' | 'dismiss', roomId: number | string): string {
  const base = kind === 'remove' ? 'RemoveUser' : 'DismissRoom';
  return typeof roomId === 'string' ? `${base}ByStrRoomId` : base;
}

/** How long the admin panel's result line stays before it clears (a newer call replaces it sooner). */
const ADMIN_RESULT_MS = 8000;
let clearAdminResult: ReturnType<typeof setTimeout> | undefined;

async function callAdmin(action: string, body: Record<string, unknown>): Promise<void> {
  const result = $('admin-result');
  clearTimeout(clearAdminResult);
  result.textContent = `Calling ${action}…`;
  try {
    const response = await fetch('/api/admin', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action, ...body }),
    });
    const answer = await response.json();
    result.textContent = answer.error
      ? `${action} failed: ${answer.error.code}: ${answer.error.message}`
      : `${action} done (RequestId ${answer.requestId}).`;
  } catch (error) {
    result.textContent = `${action} failed. ${serverTrouble(error)}`;
  }
  clearAdminResult = setTimeout(() => (result.textContent = ''), ADMIN_RESULT_MS);
  void refreshRooms();
}

function adminButton(label: string, action: string, body: Record<string, unknown>, testId: string): HTMLButtonElement {
  const button = Object.assign(document.createElement('button'), {
    type: 'button',
    className: 'danger',
    textContent: label,
    title: `Calls ${action}`,
  });
  button.dataset.action = action;
  button.dataset.testid = testId;
  button.addEventListener('click', () => void callAdmin(action, body));
  return button;
}

let lastRooms = '';
/** Whether this page has seen a room: then an empty list is "now", not "yet". */
let sawRooms = false;
async function refreshRooms(): Promise<void> {
  let rooms: RoomView[];
  try {
    rooms = await (await fetch('/api/rooms')).json();
  } catch {
    $('server-down').hidden = false; // asked again at the next tick: the notice goes when the server is back
    return;
  }
  $('server-down').hidden = true;
  const text = JSON.stringify(rooms);
  if (text === lastRooms) return;
  lastRooms = text;
  const holder = $('rooms');
  if (!rooms.length) {
    holder.innerHTML = `<p class="muted">${sawRooms ? 'No rooms now.' : 'No rooms yet.'}</p>`;
    return;
  }
  sawRooms = true;
  const table = document.createElement('table');
  table.className = 'rooms-table';
  table.innerHTML = '<thead><tr><th>SDKAppID</th><th>Room</th><th>Members</th><th></th></tr></thead>';
  const tbody = table.createTBody();
  for (const view of rooms) {
    const row = tbody.insertRow();
    const roomName = typeof view.roomId === 'string' ? `"${view.roomId}" (string)` : String(view.roomId);
    row.insertCell().textContent = String(view.sdkAppId);
    row.insertCell().textContent = roomName;
    const members = row.insertCell();
    for (const userId of view.members) {
      const span = Object.assign(document.createElement('span'), { className: 'member' });
      const action = actionFor('remove', view.roomId);
      span.append(
        `${userId}${view.disconnected.includes(userId) ? ' (connection lost)' : ''}`,
        adminButton(
          `Remove (${action})`,
          action,
          { sdkAppId: view.sdkAppId, roomId: view.roomId, userIds: [userId] },
          `remove-${view.roomId}-${userId}`,
        ),
      );
      members.append(span);
    }
    const dismiss = actionFor('dismiss', view.roomId);
    row
      .insertCell()
      .append(
        adminButton(
          `Dismiss room (${dismiss})`,
          dismiss,
          { sdkAppId: view.sdkAppId, roomId: view.roomId },
          `dismiss-${view.roomId}`,
        ),
      );
  }
  holder.replaceChildren(table);
}
void refreshRooms();
setInterval(() => void refreshRooms(), 1000);
