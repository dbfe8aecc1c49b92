import fs from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';

export const DEV_ALG = 'ES256';
export const DEV_ISSUER = 'cus-platform-dev';
export const DEV_AUDIENCE = 'cus-platform';

export interface DevKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  kid: string;
}

/**
 * The development signing key: generated once per checkout into a git-ignored file, never a
 * constant in the code, so a development token cannot be forged from reading the repository.
 */
export async function loadDevKeys(file: string): Promise<DevKeys> {
  if (!fs.existsSync(file)) {
    const { privateKey, publicKey } = await generateKeyPair(DEV_ALG, { extractable: true });
    const kid = `dev-${Date.now().toString(36)}`;
    const stored = { kid, privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(stored), { mode: 0o600 });
    // Two processes may race to create it; the first rename wins and both then read the same file.
    if (!fs.existsSync(file)) fs.renameSync(tmp, file);
    else fs.rmSync(tmp, { force: true });
  }
  const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { kid: string; privateJwk: JWK; publicJwk: JWK };
  return {
    kid: stored.kid,
    privateKey: (await importJWK(stored.privateJwk, DEV_ALG)) as CryptoKey,
    publicKey: (await importJWK(stored.publicJwk, DEV_ALG)) as CryptoKey,
  };
}
