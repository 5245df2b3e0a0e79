// The demo page: one <trtc-room> on the networked emulator (or, behind a clearly marked switch, the
// real trtc-js-sdk), a form, the peers, a time-stamped event log, and an admin panel that asks the
// demo server to call the emulator's Tencent Cloud API.
import '../src/index.js';
import type { BanReason, TrtcRoom } from '../src/index.js';
import { connectTrtcEmulator } from '../src/testing/remote.js';

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
const realSwitch = $<HTMLInputElement>('real-sdk');
const emulator = connectTrtcEmulator(location.origin);
const config: DemoConfig = await (await fetch('/api/config')).json();

/** What each ban reason means, in words a person understands. */
const BAN_WORDS: Record<BanReason, [string, string]> = {
  'duplicate-user-id': [
    'Signed in somewhere else',
    'You were put out of this room because the same user id joined it from another tab or device. TRTC allows one connection per user id in a room; this page will not rejoin by itself.',
  ],
  'removed-by-admin': ['Removed from the room', "The app's server removed you from this room (server API RemoveUser)."],
  'room-dismissed': ['The room was closed', "The app's server dismissed this room (server API DismissRoom); everyone in it was removed."],
  unknown: ['Removed from the room', 'TRTC removed you from this room.'],
};

// --- the form --------------------------------------------------------------------------------------

const params = new URLSearchParams(location.search);
form.sdkAppId.value = String(config.sdkAppId);
if (params.get('user')) form.userId.value = params.get('user');
if (params.get('room')) form.roomId.value = params.get('room');
if (params.get('strRoom')) {
  form.roomId.value = params.get('strRoom');
  (form.querySelector('input[value=string]') as HTMLInputElement).checked = true;
}

function useRealSdk(real: boolean): void {
  $('real-warning').hidden = !real;
  $('user-sig-field').hidden = !real;
  form.userSig.required = real;
  form.sdkAppId.value = real ? (sessionStorage.getItem('real-sdk-app-id') ?? '') : String(config.sdkAppId);
  // Unset: the element then loads trtc-js-sdk itself at the first join.
  room.sdk = real ? undefined : emulator.sdk;
}
realSwitch.addEventListener('change', () => useRealSdk(realSwitch.checked));
useRealSdk(false);

async function userSigFor(sdkAppId: number, userId: string): Promise<string> {
  if (realSwitch.checked) {
    sessionStorage.setItem('real-sdk-app-id', String(sdkAppId)); // kept in this tab only
    return form.userSig.value;
  }
  const response = await fetch(`/api/user-sig?sdkAppId=${sdkAppId}&userId=${encodeURIComponent(userId)}`);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? 'The demo server could not sign a userSig.');
  return body.userSig;
}

async function joinFromForm(): Promise<void> {
  const sdkAppId = Number(form.sdkAppId.value);
  const userId = form.userId.value.trim();
  const stringRoom = (form.querySelector('input[name=roomKind]:checked') as HTMLInputElement).value === 'string';
  room.userSig = await userSigFor(sdkAppId, userId);
  room.sdkAppId = sdkAppId;
  room.userId = userId;
  room.roomId = stringRoom ? undefined : (form.roomId.value as unknown as number);
  room.strRoomId = stringRoom ? form.roomId.value : undefined;
  await room.join().catch(() => undefined); // failures are shown from the `error` event
}

/** Shows a failure in the room's box (not only in the console). */
function showFailure(message: string): void {
  $('failure').textContent = message;
  $('failure').hidden = false;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  // A wrong SDKAppID or a stopped demo server fails before the element is asked: say so on the page.
  joinFromForm().catch((error: unknown) => showFailure(`Could not join: ${error instanceof Error ? error.message : String(error)}`));
});
$('leave').addEventListener('click', () => void room.leave());
$('join-again').addEventListener('click', () => void room.join().catch(() => undefined));

// --- the room --------------------------------------------------------------------------------------

const peers = new Set<string>();
function renderPeers(): void {
  const list = $('peers');
  const self = room.state === 'joined' && room.userId ? [Object.assign(document.createElement('li'), { className: 'self', textContent: `${room.userId} (you)` })] : [];
  list.replaceChildren(
    ...self,
    ...(peers.size
      ? [...peers].map((userId) => Object.assign(document.createElement('li'), { textContent: userId }))
      : [Object.assign(document.createElement('li'), { className: 'muted', textContent: 'nobody else' })]),
  );
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
    peers.clear();
    renderPeers();
  }
});
room.addEventListener('joined', (event) => {
  renderPeers();
  const { roomId, userId } = event.detail;
  $('room-label').textContent = `${userId} in ${typeof roomId === 'string' ? `string room "${roomId}"` : `room ${roomId}`}`;
});
room.addEventListener('left', () => ($('room-label').textContent = 'not in a room'));
room.addEventListener('banned', (event) => {
  const [title, text] = BAN_WORDS[event.detail.reason];
  $('ban-title').textContent = title;
  $('ban-text').textContent = text;
  $('ban').hidden = false;
  $('ban').dataset.reason = event.detail.reason;
  $('room-label').textContent = 'not in a room';
});
room.addEventListener('error', (event) => {
  const { code, message } = event.detail;
  showFailure(`${code}: ${message}`);
});
room.addEventListener('peer-join', (event) => {
  peers.add(event.detail.userId);
  renderPeers();
});
room.addEventListener('peer-leave', (event) => {
  peers.delete(event.detail.userId);
  renderPeers();
});

// --- camera, microphone and audio ------------------------------------------------------------------
// The tiles are the element's own (its shadow root, before this slotted content); these are the app's controls.

for (const device of ['camera', 'microphone'] as const) {
  const button = $(device);
  button.addEventListener('click', () => {
    room[device] = !room[device];
    button.setAttribute('aria-pressed', String(room[device]));
  });
}
// The browser refused to play remote audio before any click on the page: a click on this button plays it.
room.addEventListener('autoplay-blocked', () => ($('play-audio').hidden = false));
$('play-audio').addEventListener('click', () => {
  void room.resumeAudio().finally(() => ($('play-audio').hidden = true));
});

// --- the event log ---------------------------------------------------------------------------------

const ROOM_EVENTS = ['joined', 'left', 'banned', 'error', 'peer-join', 'peer-leave', 'connection-state-change', 'state-change'] as const;
const EVENTS = [...ROOM_EVENTS, 'local-media', 'peer-media', 'autoplay-blocked'] as const;
for (const type of EVENTS) {
  room.addEventListener(type, (event: Event) => {
    const detail = JSON.stringify((event as CustomEvent).detail, (key, value) => (key === 'cause' ? undefined : value));
    const item = document.createElement('li');
    item.className = type;
    const time = document.createElement('time');
    time.textContent = new Date().toLocaleTimeString(undefined, { hour12: false }) + `.${String(Date.now() % 1000).padStart(3, '0')}`;
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

let clearAdminResult: ReturnType<typeof setTimeout> | undefined;
async function callAdmin(action: string, body: Record<string, unknown>): Promise<void> {
  const result = $('admin-result');
  clearTimeout(clearAdminResult);
  result.textContent = `Calling ${action}…`;
  const response = await fetch('/api/admin', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action, ...body }) });
  const answer = await response.json();
  result.textContent = answer.error
    ? `${action} failed: ${answer.error.code}: ${answer.error.message}`
    : `${action} done (RequestId ${answer.requestId}).`;
  clearAdminResult = setTimeout(() => (result.textContent = ''), 8000);
  void refreshRooms();
}

function adminButton(label: string, action: string, body: Record<string, unknown>, testId: string): HTMLButtonElement {
  const button = Object.assign(document.createElement('button'), { type: 'button', className: 'danger', textContent: label, title: `Calls ${action}` });
  button.dataset.action = action;
  button.dataset.testid = testId;
  button.addEventListener('click', () => void callAdmin(action, body));
  return button;
}

let lastRooms = '';
let roomsSeen = false;
async function refreshRooms(): Promise<void> {
  let rooms: RoomView[];
  try {
    rooms = await (await fetch('/api/rooms')).json();
  } catch {
    return; // the server is restarting: try again at the next tick
  }
  const text = JSON.stringify(rooms);
  if (text === lastRooms) return;
  lastRooms = text;
  const holder = $('rooms');
  if (!rooms.length) {
    holder.innerHTML = `<p class="muted">${roomsSeen ? 'No rooms now: everyone has left.' : 'No rooms yet.'}</p>`;
    return;
  }
  roomsSeen = true;
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
        adminButton(`Remove (${action})`, action, { sdkAppId: view.sdkAppId, roomId: view.roomId, userIds: [userId] }, `remove-${view.roomId}-${userId}`),
      );
      members.append(span);
    }
    const dismiss = actionFor('dismiss', view.roomId);
    row.insertCell().append(adminButton(`Dismiss room (${dismiss})`, dismiss, { sdkAppId: view.sdkAppId, roomId: view.roomId }, `dismiss-${view.roomId}`));
  }
  holder.replaceChildren(table);
}
void refreshRooms();
setInterval(() => void refreshRooms(), 1000);
