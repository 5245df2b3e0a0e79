// Tencent's tls-sig-api-v2 ships no types; the demo server uses only this.
declare module 'tls-sig-api-v2' {
  export class Api {
    constructor(sdkAppId: number, secretKey: string);
    genUserSig(userId: string, expireSeconds: number): string;
  }
  const TLSSigAPIv2: { Api: typeof Api };
  export default TLSSigAPIv2;
}
