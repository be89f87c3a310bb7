import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, createBackoff } from '../background/backoff.js';

describe('back-off', () => {
  it('doubles from 1 s and stops at 60 s', () => {
    const backoff = createBackoff();
    const delays = Array.from({ length: 10 }, () => backoff.next());
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000]);
  });

  it('starts again after reset', () => {
    const backoff = createBackoff();
    backoff.next();
    backoff.next();
    backoff.reset();
    assert.equal(backoff.next(), 1000);
  });

  it('never overflows', () => {
    assert.equal(backoffDelay(1e6), 60000);
    assert.equal(backoffDelay(-3), 1000);
  });
});
