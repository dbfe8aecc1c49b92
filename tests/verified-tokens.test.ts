import { describe, expect, test } from 'vitest';
import { VERIFIED_TOKEN_TTL_MS, VERIFIED_TOKENS_KEPT, VerifiedTokens } from '../src/platform/auth/tokens.js';
import { Role } from '../src/platform/auth/roles.js';
import type { Principal } from '../src/platform/auth/principal.js';

/**
 * Verified tokens are taken on trust for up to a minute, never past their `exp`, and at most 10,000
 * are kept (tests/platform.test.ts shows the server refusing a kept token once it expires). The
 * clock is the test's, so the bounds are checked to the millisecond without waiting.
 */
describe('the verified-token cache', () => {
  const start = Date.UTC(2026, 0, 1, 12);
  const principal = (expiresInSeconds: number): Principal => ({
    subject: 'kipus',
    role: Role.COORDINATOR,
    gminy: [1417082],
    partnerId: null,
    expiresAt: start / 1000 + expiresInSeconds,
  });

  test('keeps a token for a minute at most', () => {
    let now = start;
    const tokens = new VerifiedTokens(() => now);
    tokens.keep('t', principal(3600));
    now = start + VERIFIED_TOKEN_TTL_MS - 1;
    expect(tokens.get('t')?.subject).toBe('kipus');
    now = start + VERIFIED_TOKEN_TTL_MS;
    expect(tokens.get('t')).toBeUndefined();
  });

  test('never past its exp, and not at all when it expires now', () => {
    let now = start;
    const tokens = new VerifiedTokens(() => now);
    tokens.keep('t', principal(10));
    now = start + 9_999;
    expect(tokens.get('t')).toBeDefined();
    now = start + 10_000;
    expect(tokens.get('t')).toBeUndefined();
    now = start + 20_000;
    tokens.keep('late', principal(20));
    expect(tokens.get('late')).toBeUndefined();
    expect(tokens.size).toBe(0);
  });

  test(`keeps at most ${VERIFIED_TOKENS_KEPT} tokens, the least recently used going first`, () => {
    const tokens = new VerifiedTokens(() => start);
    for (let i = 0; i < VERIFIED_TOKENS_KEPT; i += 1) tokens.keep(`t${i}`, principal(3600));
    expect(tokens.get('t0')).toBeDefined();
    tokens.keep('one more', principal(3600));
    expect(tokens.size).toBe(VERIFIED_TOKENS_KEPT);
    // t0 was used just now, so t1 went.
    expect(tokens.get('t0')).toBeDefined();
    expect(tokens.get('t1')).toBeUndefined();
    expect(tokens.get('one more')).toBeDefined();
  });

  test('hands out the kept principal frozen', () => {
    const tokens = new VerifiedTokens(() => start);
    tokens.keep('t', principal(3600));
    expect(Object.isFrozen(tokens.get('t'))).toBe(true);
  });
});
