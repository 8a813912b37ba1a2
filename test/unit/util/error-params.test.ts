// Errors carry the params of their message's variant: thrown, turned into data for IPC, and rebuilt from that data.
import { describe, expect, it } from 'vitest';
import { ServerUrlSchema } from '../../../src-shared/schemas/settings.js';
import { errorFromInfo, FunscribeError, toErrorInfo } from '../../../src-main/util/errors.js';
import { parseOrThrow } from '../../../src-main/util/validation.js';

describe('error params', () => {
  it('go from a thrown error into its data, and back', () => {
    const thrown = new FunscribeError('PORT_IN_USE', 'Port 10095 on 127.0.0.1 is already in use.', {
      params: { reason: 'port', port: 10095 },
    });
    const info = toErrorInfo(thrown);
    expect(info).toEqual({
      code: 'PORT_IN_USE',
      message: 'Port 10095 on 127.0.0.1 is already in use.',
      params: { reason: 'port', port: 10095 },
    });
    expect(errorFromInfo(info)).toMatchObject({ code: 'PORT_IN_USE', params: info.params });
    expect(toErrorInfo(new FunscribeError('CANCELLED', 'Cancelled.'))).toStrictEqual({
      code: 'CANCELLED',
      message: 'Cancelled.',
    });
  });

  it('name the address a broken server-address rule was given, with the rule’s English message kept', () => {
    expect(() => parseOrThrow(ServerUrlSchema, 'http://not-a-funasr-server')).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining('ws://127.0.0.1:10095'),
        params: { reason: 'serverUrl', url: 'http://not-a-funasr-server' },
      }),
    );
  });
});
