import { Component, CUSTOM_ELEMENTS_SCHEMA } from '@angular/core';
import 'trtc-room';
import type { BanReason, BannedDetail, TrtcSdk } from 'trtc-room';

@Component({
  selector: 'app-call',
  standalone: true,
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `<trtc-room [sdkAppId]="1400000001" [roomId]="roomId" user-id="alice" [userSig]="userSig"
               [sdk]="sdk" (banned)="onBanned($event)"></trtc-room>`,
})
export class CallComponent {
  roomId = 1234;
  userSig = '…';
  sdk?: TrtcSdk; // optional: e.g. trtc-sdk-v5's TRTC (unset: trtc-js-sdk, imported at the first join)
  bannedFor?: BanReason;
  onBanned(event: Event) {
    this.bannedFor = (event as CustomEvent<BannedDetail>).detail.reason;
  }
}
