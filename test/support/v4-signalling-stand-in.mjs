// A stand-in for TRTC's signalling server, as the unmodified trtc-js-sdk 4.15.22 speaks to it once pointed at
// it with `client.setProxyServer('wss://…')`: enough of the room service for the SDK to join, see peers, be
// banned and leave, offline. The messages are read from the SDK's trtc.esm.js (its SignalChannel and Client
// classes); docs/sdk-fidelity.md lists them. Other users in a room are stand-ins too ("remote" users), moved
// by the test. The SDK insists on wss://, so this serves TLS with a self-signed certificate made at start
// (openssl); the browser must be told to accept it (Chromium: --ignore-certificate-errors).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';

// The SDK's signalling commands (its `Go` table), server to client.
export const CMD = Object.freeze({
  CLIENT_BANNED: 9,
  CHANNEL_SETUP_RESULT: 19,
  JOIN_ROOM_RESULT: 20,
  CHANNEL_RECONNECT_RESULT: 514,
  PEER_JOIN: 4134,
  PEER_LEAVE: 4135,
  USER_LIST_RES: 4137,
});

/** A self-signed certificate for 127.0.0.1, made now; the private key never leaves a temporary folder. */
function selfSignedCertificate() {
  const folder = mkdtempSync(join(tmpdir(), 'trtc-stand-in-'));
  try {
    const key = join(folder, 'key.pem');
    const cert = join(folder, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Starts the stand-in on 127.0.0.1 (an ephemeral port). `url` is what to give `client.setProxyServer()`.
 * Rooms are keyed by SDKAppID and room id (a string room and a numeric one apart). Every command a client
 * sends is kept in `received` (its `cmd` names), for a test to check what the SDK said.
 */
export async function startV4SignallingStandIn() {
  // GET answers a blank page: an https origin for the test page (the SDK reads localStorage, which a blank
  // about: page may not).
  const server = createServer(selfSignedCertificate(), (request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><html><body></body></html>');
  });
  const sockets = new WebSocketServer({ server });
  /** room key → Map(userId → member); a member is { userId, tinyId, socket? } (no socket: a remote stand-in user). */
  const rooms = new Map();
  const received = [];
  let nextTinyId = 100;

  const roomKey = (sdkAppId, roomId, stringRoom) => `${sdkAppId}/${stringRoom ? 's' : 'n'}:${roomId}`;
  const roomOf = (key) => {
    if (!rooms.has(key)) rooms.set(key, new Map());
    return rooms.get(key);
  };
  const send = (member, message) => {
    if (member.socket && member.socket.readyState === member.socket.OPEN) member.socket.send(JSON.stringify(message));
  };
  const announce = (room, message, except) => {
    for (const other of room.values()) if (other !== except) send(other, message);
  };
  const peerJoin = (member) => ({
    cmd: CMD.PEER_JOIN,
    data: { srcTinyId: member.tinyId, userId: member.userId, role: 20 },
  });
  const peerLeave = (member, reason = 0) => ({
    cmd: CMD.PEER_LEAVE,
    data: { srcTinyId: member.tinyId, userId: member.userId, reason },
  });

  /** Takes a member out of its room; the others hear peer-leave. */
  const remove = (key, member) => {
    const room = rooms.get(key);
    if (!room || room.get(member.userId) !== member) return;
    room.delete(member.userId);
    announce(room, peerLeave(member));
    if (room.size === 0) rooms.delete(key);
  };

  /** Puts a member in a room: an earlier one with its userId is kicked (cmd 9, reason kick), as TRTC's service does. */
  const admit = (key, member) => {
    const room = roomOf(key);
    const earlier = room.get(member.userId);
    if (earlier) {
      room.delete(member.userId);
      send(earlier, { cmd: CMD.CLIENT_BANNED, data: { reason: 'kick' } });
    }
    announce(room, peerJoin(member));
    room.set(member.userId, member);
  };

  sockets.on('connection', (socket, request) => {
    const query = new URL(request.url, 'https://stand-in').searchParams;
    const tinyId = nextTinyId++;
    const member = { userId: query.get('userId'), tinyId, socket };
    const sdkAppId = Number(query.get('sdkAppId'));
    let key = null;
    // The welcome: the SDK's channel setup waits for it before it sends its join.
    socket.send(
      JSON.stringify({
        cmd: CMD.CHANNEL_SETUP_RESULT,
        code: 0,
        message: '',
        tinyId,
        data: { clientIp: '127.0.0.1', signalInnerIp: '127.0.0.1', svrTime: Date.now() },
      }),
    );
    socket.on('message', (data) => {
      let message;
      try {
        message = JSON.parse(String(data));
      } catch {
        return;
      }
      const { cmd, seq } = message;
      received.push(cmd);
      if (cmd === 'join') {
        const { roomId, useStringRoomId } = message.data ?? {};
        key = roomKey(sdkAppId, roomId, useStringRoomId);
        admit(key, member);
        // Everyone already in the room comes as a publisher (flag 0: no tracks): the SDK announces each
        // with peer-join before its join() resolves.
        const publishers = [...rooms.get(key).values()]
          .filter((other) => other !== member)
          .map((other) => ({ userId: other.userId, srcTinyId: other.tinyId, flag: 0 }));
        socket.send(
          JSON.stringify({
            cmd: CMD.JOIN_ROOM_RESULT,
            seq,
            code: 0,
            message: '',
            tinyId,
            data: { publishers, relayOuterIp: '127.0.0.1', relayInnerIp: '127.0.0.1', relayPort: 8000 },
          }),
        );
      } else if (cmd === 'get_user_list') {
        // The whole room, the asker included (the SDK skips itself; a user missing here it takes as gone).
        const userList =
          key && rooms.has(key)
            ? [...rooms.get(key).values()].map((other) => ({ userId: other.userId, srcTinyId: other.tinyId, role: 20 }))
            : [];
        socket.send(JSON.stringify({ cmd: CMD.USER_LIST_RES, seq, code: 0, message: '', data: { userList } }));
      } else if (cmd === 'leave') {
        if (key) remove(key, member);
      }
      // quality_report (the SDK's heartbeat, every 2 s) needs no answer; nor does anything else here.
    });
    socket.on('close', () => {
      if (key) remove(key, member);
    });
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const keyOf = ({ sdkAppId, roomId }) => roomKey(sdkAppId, roomId, typeof roomId === 'string');

  return {
    url: `wss://127.0.0.1:${port}/`,
    /** A blank page on the stand-in's own origin. */
    pageUrl: `https://127.0.0.1:${port}/`,
    received,
    /** The userIds in a room, in the order they came. */
    members: (room) => [...(rooms.get(keyOf(room))?.keys() ?? [])],
    /** A remote user enters the room (another device); the same userId already there is kicked. */
    enter(room, userId) {
      admit(keyOf(room), { userId, tinyId: nextTinyId++ });
    },
    /** A remote user leaves the room. */
    exit(room, userId) {
      const member = rooms.get(keyOf(room))?.get(userId);
      if (member) remove(keyOf(room), member);
    },
    /** The app server's RemoveUser: the user is banned (cmd 9, reason banned) and the others hear peer-leave. */
    removeUser(room, userId) {
      const member = rooms.get(keyOf(room))?.get(userId);
      if (!member) return;
      remove(keyOf(room), member);
      send(member, { cmd: CMD.CLIENT_BANNED, data: { reason: 'banned' } });
    },
    /** The app server's DismissRoom: everyone is banned with reason room_disband. */
    dismissRoom(room) {
      const members = [...(rooms.get(keyOf(room))?.values() ?? [])];
      rooms.delete(keyOf(room));
      for (const member of members) send(member, { cmd: CMD.CLIENT_BANNED, data: { reason: 'room_disband' } });
    },
    close: () =>
      new Promise((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => resolve());
      }),
  };
}
