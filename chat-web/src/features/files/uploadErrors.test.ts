import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/http';
import { uploadFailure } from './uploadErrors';

describe('uploadFailure on 413', () => {
  it('takes the limit from the message of Natter’s answer, in both its wordings', () => {
    for (const message of ['the file is over the limit of 524288 bytes', 'the file is over 524288 bytes']) {
      const e = new ApiError(413, 'too_large', message, { code: 'too_large', message });
      expect(uploadFailure(e)).toEqual({ text: 'Too large: the limit is 512 KB.', retryable: false, limit: 524288 });
    }
  });

  it('shows the server’s message when it names no limit', () => {
    const e = new ApiError(413, 'too_large', 'no room left for files', { code: 'too_large' });
    expect(uploadFailure(e)).toEqual({ text: 'Too large: no room left for files', retryable: false });
  });

  it('says only “too large” for a 413 without Natter’s JSON (a proxy’s page)', () => {
    const e = new ApiError(413, '413', 'Payload Too Large');
    expect(uploadFailure(e)).toEqual({ text: 'Too large for the server.', retryable: false });
  });
});
