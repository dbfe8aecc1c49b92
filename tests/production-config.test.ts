import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/platform/config.js';

/**
 * Issue 17, item 14: in production the server accepted cus_app's development password, which README
 * prints. Whoever holds cus_app's credentials can set any principal's settings, so it refuses to start.
 */
const production = { NODE_ENV: 'production', JWKS_URL: 'https://id.example.gov.pl/certs' };
const REFUSED = /refuses cus_app's development password/;

describe("cus_app's password in production", () => {
  it('is refused when none is set, so the development default would be used', () => {
    expect(() => loadConfig(production)).toThrow(REFUSED);
  });

  it('is refused when it is the development password, set by hand or written in APP_DATABASE_URL', () => {
    expect(() => loadConfig({ ...production, APP_DB_PASSWORD: 'cus_app_dev_password' })).toThrow(REFUSED);
    expect(() => loadConfig({ ...production, APP_DATABASE_URL: 'postgres://cus_app:cus_app_dev_password@db:5432/cus' })).toThrow(REFUSED);
  });

  it('a secret of the deployment is accepted, in either setting; development keeps its default', () => {
    expect(loadConfig({ ...production, APP_DB_PASSWORD: 's3cret-Wi4zowna' }).appDbPassword).toBe('s3cret-Wi4zowna');
    expect(loadConfig({ ...production, APP_DATABASE_URL: 'postgres://cus_app:s3cret@db:5432/cus' }).appDatabaseUrl).toContain('s3cret');
    expect(loadConfig({}).appDbPassword).toBe('cus_app_dev_password');
  });
});
