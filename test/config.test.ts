import './support/guard.js';
import { expect } from '@open-wc/testing';
import { parseConfig, roomKey, type RoomInputs } from '../src/config.js';

const BASE: RoomInputs = { sdkAppId: 1400000001, roomId: 1234, userId: 'alice', userSig: 'sig' };

describe('parseConfig', () => {
  it('builds a config with defaults: mode rtc and no role', () => {
    expect(parseConfig(BASE)).to.deep.equal({
      status: 'valid',
      config: { sdkAppId: 1400000001, roomId: 1234, userId: 'alice', userSig: 'sig', mode: 'rtc' },
    });
  });

  it('accepts numeric text for the numeric inputs', () => {
    const result = parseConfig({ ...BASE, sdkAppId: '1400000001', roomId: ' 42 ' });
    expect(result.status === 'valid' && result.config.roomId).to.equal(42);
  });

  it('keeps a string room a string, even when it is all digits', () => {
    const result = parseConfig({ ...BASE, roomId: undefined, strRoomId: '123' });
    expect(result.status === 'valid' && result.config.roomId).to.equal('123');
  });

  it('names the first missing required input, treating empty text as missing', () => {
    expect(parseConfig({})).to.deep.equal({ status: 'incomplete', missing: 'sdk-app-id' });
    expect(parseConfig({ ...BASE, roomId: '' })).to.deep.equal({ status: 'incomplete', missing: 'room-id' });
    expect(parseConfig({ ...BASE, userId: null })).to.deep.equal({ status: 'incomplete', missing: 'user-id' });
    expect(parseConfig({ ...BASE, userSig: undefined })).to.deep.equal({ status: 'incomplete', missing: 'user-sig' });
  });

  it('reports an invalid value even while another input is still missing', () => {
    const result = parseConfig({ roomId: -1 });
    expect(result).to.include({ status: 'invalid', field: 'room-id' });
  });

  it('never echoes the user signature in a message', () => {
    const result = parseConfig({ ...BASE, userSig: 12345 as unknown as string });
    expect(result).to.include({ status: 'invalid', field: 'user-sig' });
    expect((result as { message: string }).message).not.to.contain('12345');
  });

  it('gives rooms 123 and "123" different keys, and leaves the userSig out of the key', () => {
    const numeric = parseConfig(BASE);
    const string = parseConfig({ ...BASE, roomId: undefined, strRoomId: '1234' });
    const resigned = parseConfig({ ...BASE, userSig: 'other' });
    if (numeric.status !== 'valid' || string.status !== 'valid' || resigned.status !== 'valid')
      throw new Error('expected valid');
    expect(roomKey(numeric.config)).not.to.equal(roomKey(string.config));
    expect(roomKey(numeric.config)).to.equal(roomKey(resigned.config));
  });
});
