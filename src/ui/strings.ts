// Every text the element shows or announces, in one table per language (loaded at the first join, with the call).
import type { BanReason } from '../ban-reason.js';

/**
 * The keys of the strings table (`el.strings` overrides any of them). `{name}` is a userId, `{reason}` the
 * ban's reason in words (one of the `ban-*` entries).
 */
export interface UiStrings {
  /** The control bar's accessible name. */
  controls: string;
  /** The microphone toggle's label (its state is `aria-pressed`). */
  microphone: string;
  /** The camera toggle's label. */
  camera: string;
  /** The screen-share toggle's label (its state is `aria-pressed`). */
  screen: string;
  /** The leave button's label. */
  leave: string;
  /** The button shown while the browser blocks remote audio. */
  unblock: string;
  /** The device menu's button. */
  devices: string;
  /** The device menu's groups. */
  cameras: string;
  microphones: string;
  speakers: string;
  /** A tile's accessible name: the local user. */
  you: string;
  /** Added to a tile's accessible name while that user publishes no live audio. */
  microphoneOff: string;
  /** Added to a tile's accessible name while that user publishes no video. */
  cameraOff: string;
  /** Added to a tile's accessible name while that user speaks. */
  speaking: string;
  /** Added to a tile's accessible name while that user's network is poor (the tile's part `poor-network`). */
  poorNetwork: string;
  /** A screen-share tile's label and accessible name. */
  screenOf: string;
  /** Between the parts of a tile's accessible name. */
  separator: string;
  // Announced (a polite live region):
  joined: string;
  left: string;
  peerJoined: string;
  peerLeft: string;
  peerMicrophoneOff: string;
  peerMicrophoneOn: string;
  peerCameraOff: string;
  peerCameraOn: string;
  peerScreenOn: string;
  peerScreenOff: string;
  screenOn: string;
  screenOff: string;
  reconnecting: string;
  reconnected: string;
  /** Announced when the SDK gives up reconnecting (`error` `connection-lost`). */
  connectionLost: string;
  banned: string;
  /** The device in use went away (`{name}`: its label); the default one is used. */
  deviceFallback: string;
  'ban-duplicate-user-id': string;
  'ban-removed-by-admin': string;
  'ban-room-dismissed': string;
  'ban-unknown': string;
}

/** Built in: English, Simplified Chinese, Korean. */
export const STRINGS: Record<'en' | 'zh' | 'ko', UiStrings> = {
  en: {
    controls: 'Call controls',
    microphone: 'Microphone',
    camera: 'Camera',
    screen: 'Share screen',
    leave: 'Leave',
    unblock: 'Play audio',
    devices: 'Devices',
    cameras: 'Cameras',
    microphones: 'Microphones',
    speakers: 'Speakers',
    you: '{name} (you)',
    microphoneOff: 'microphone off',
    cameraOff: 'camera off',
    speaking: 'speaking',
    poorNetwork: 'poor network',
    screenOf: "{name}'s screen",
    separator: ', ',
    joined: 'You joined the room.',
    left: 'You left the room.',
    peerJoined: '{name} joined.',
    peerLeft: '{name} left.',
    peerMicrophoneOff: '{name} turned the microphone off.',
    peerMicrophoneOn: '{name} turned the microphone on.',
    peerCameraOff: '{name} turned the camera off.',
    peerCameraOn: '{name} turned the camera on.',
    peerScreenOn: '{name} started sharing their screen.',
    peerScreenOff: '{name} stopped sharing their screen.',
    screenOn: 'You are sharing your screen.',
    screenOff: 'You stopped sharing your screen.',
    reconnecting: 'Connection lost. Reconnecting…',
    reconnected: 'Reconnected.',
    connectionLost: 'The connection could not be restored. You are no longer in the room.',
    banned: 'You are no longer in the room: {reason}',
    deviceFallback: '{name} was disconnected. Using the default device.',
    'ban-duplicate-user-id': 'you joined from another tab or device.',
    'ban-removed-by-admin': 'you were removed from the room.',
    'ban-room-dismissed': 'the room was closed.',
    'ban-unknown': 'you were removed from the room.',
  },
  zh: {
    controls: '通话控制',
    microphone: '麦克风',
    camera: '摄像头',
    screen: '共享屏幕',
    leave: '离开',
    unblock: '播放声音',
    devices: '设备',
    cameras: '摄像头',
    microphones: '麦克风',
    speakers: '扬声器',
    you: '{name}（你）',
    microphoneOff: '麦克风已关闭',
    cameraOff: '摄像头已关闭',
    speaking: '正在说话',
    poorNetwork: '网络较差',
    screenOf: '{name} 的屏幕',
    separator: '，',
    joined: '你已进入房间。',
    left: '你已离开房间。',
    peerJoined: '{name} 进入了房间。',
    peerLeft: '{name} 离开了房间。',
    peerMicrophoneOff: '{name} 关闭了麦克风。',
    peerMicrophoneOn: '{name} 打开了麦克风。',
    peerCameraOff: '{name} 关闭了摄像头。',
    peerCameraOn: '{name} 打开了摄像头。',
    peerScreenOn: '{name} 开始共享屏幕。',
    peerScreenOff: '{name} 停止了共享屏幕。',
    screenOn: '你正在共享屏幕。',
    screenOff: '你已停止共享屏幕。',
    reconnecting: '连接已断开，正在重新连接…',
    reconnected: '已重新连接。',
    connectionLost: '无法恢复连接，你已不在房间中。',
    banned: '你已不在房间中：{reason}',
    deviceFallback: '{name} 已断开，正在使用默认设备。',
    'ban-duplicate-user-id': '你在另一个标签页或设备上进入了房间。',
    'ban-removed-by-admin': '你已被移出房间。',
    'ban-room-dismissed': '房间已解散。',
    'ban-unknown': '你已被移出房间。',
  },
  ko: {
    controls: '통화 제어',
    microphone: '마이크',
    camera: '카메라',
    screen: '화면 공유',
    leave: '나가기',
    unblock: '오디오 재생',
    devices: '장치',
    cameras: '카메라',
    microphones: '마이크',
    speakers: '스피커',
    you: '{name}(나)',
    microphoneOff: '마이크 꺼짐',
    cameraOff: '카메라 꺼짐',
    speaking: '말하는 중',
    poorNetwork: '네트워크 불안정',
    screenOf: '{name} 님의 화면',
    separator: ', ',
    joined: '방에 들어왔습니다.',
    left: '방에서 나왔습니다.',
    peerJoined: '{name} 님이 들어왔습니다.',
    peerLeft: '{name} 님이 나갔습니다.',
    peerMicrophoneOff: '{name} 님이 마이크를 껐습니다.',
    peerMicrophoneOn: '{name} 님이 마이크를 켰습니다.',
    peerCameraOff: '{name} 님이 카메라를 껐습니다.',
    peerCameraOn: '{name} 님이 카메라를 켰습니다.',
    peerScreenOn: '{name} 님이 화면 공유를 시작했습니다.',
    peerScreenOff: '{name} 님이 화면 공유를 중지했습니다.',
    screenOn: '화면을 공유하고 있습니다.',
    screenOff: '화면 공유를 중지했습니다.',
    reconnecting: '연결이 끊겼습니다. 다시 연결하는 중…',
    reconnected: '다시 연결되었습니다.',
    connectionLost: '연결을 복구하지 못했습니다. 더 이상 방에 있지 않습니다.',
    banned: '더 이상 방에 있지 않습니다: {reason}',
    deviceFallback: '{name} 연결이 끊겼습니다. 기본 장치를 사용합니다.',
    'ban-duplicate-user-id': '다른 탭이나 기기에서 같은 ID로 들어왔습니다.',
    'ban-removed-by-admin': '방에서 내보내졌습니다.',
    'ban-room-dismissed': '방이 닫혔습니다.',
    'ban-unknown': '방에서 내보내졌습니다.',
  },
};

/**
 * The built-in table for a BCP 47 language tag: `zh` (and `zh-CN`, `zh-SG`, `zh-Hans…`), `ko…`, else English
 * (Traditional Chinese, `zh-TW`, `zh-HK`, `zh-Hant`, has no table of its own yet: English).
 */
export function builtInStrings(lang: string): UiStrings {
  const tag = lang.trim().toLowerCase();
  if (/^zh(-(cn|sg|hans)\b|$)/.test(tag)) return STRINGS.zh;
  if (/^ko\b/.test(tag)) return STRINGS.ko;
  return STRINGS.en;
}

/** The language in effect for `element`: its own `lang` or its closest ancestor's (in its tree), else the document's. */
export function langOf(element: Element): string {
  return element.closest('[lang]')?.getAttribute('lang') || element.ownerDocument.documentElement.lang || '';
}

const warned = new WeakSet<object>();

/**
 * The table for `element`, with the app's overrides (`el.strings`) on top. An unknown key, or a value that is not a
 * string, is left out with a console warning (once per `strings` object) that names it.
 */
export function stringsFor(element: Element, overrides: Partial<UiStrings> | undefined): UiStrings {
  const base = builtInStrings(langOf(element));
  if (!overrides || typeof overrides !== 'object') return base;
  const merged = { ...base };
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(overrides)) {
    if (key in base && typeof value === 'string') merged[key as keyof UiStrings] = value;
    else ignored.push(key);
  }
  if (ignored.length && !warned.has(overrides)) {
    warned.add(overrides);
    console.warn(
      `<trtc-room> strings: ignored ${ignored.map((key) => JSON.stringify(key)).join(', ')} (each key must be one of docs/ui.md's, with a string value).`,
    );
  }
  return merged;
}

/** Fills `{name}` and `{reason}` in a string. */
export function fill(text: string, values: { name?: string; reason?: string }): string {
  return text.replace(/\{(name|reason)\}/g, (whole, key: 'name' | 'reason') => values[key] ?? whole);
}

export const banReasonKey = (reason: BanReason) => `ban-${reason}` as const;
