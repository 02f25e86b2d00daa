import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHubUrl } from '../../../src/core/hub/url';

describe('a hub address: TLS verified by default for any host that is not this machine', () => {
  it('asks for verify-full (certificate checked, host name checked) for a host on the network', () => {
    const a = parseHubUrl('postgres://alice@hub.example.org/cases');
    expect(a.sslmode).toBe('verify-full');
    expect(a.local).toBe(false);
    expect(a.config).toMatchObject({
      host: 'hub.example.org',
      port: 5432,
      database: 'cases',
      user: 'alice',
      ssl: { rejectUnauthorized: true },
    });
    expect((a.config.ssl as { checkServerIdentity?: unknown }).checkServerIdentity).toBeUndefined();
  });

  it('needs no TLS for this machine (loopback, a Unix socket), unless the address asks for it', () => {
    for (const url of [
      'postgres://alice@localhost/cases',
      'postgres://alice@127.0.0.1:5433/cases',
      'postgres://alice@[::1]/cases',
      'postgres:///cases?host=/run/postgresql',
    ]) {
      const a = parseHubUrl(url);
      expect(a.local, url).toBe(true);
      expect(a.sslmode, url).toBe('disable');
      expect(a.config.ssl, url).toBeUndefined();
    }
    expect(parseHubUrl('postgres://alice@localhost/cases?sslmode=verify-full').config.ssl).toMatchObject({
      rejectUnauthorized: true,
    });
  });

  it('refuses sslmode=disable for a host on the network: the password and the case would cross it in clear', () => {
    expect(() => parseHubUrl('postgres://alice@10.0.0.5/cases?sslmode=disable')).toThrow(
      /sslmode=disable would send your password and the case in clear to 10\.0\.0\.5/,
    );
  });

  it('takes the weaker modes only when asked: require encrypts without checking, verify-ca checks the authority but not the name', () => {
    expect(parseHubUrl('postgres://alice@hub.example.org/cases?sslmode=require').config.ssl).toMatchObject({
      rejectUnauthorized: false,
    });
    const ca = parseHubUrl('postgres://alice@hub.example.org/cases?sslmode=verify-ca').config.ssl as {
      rejectUnauthorized: boolean;
      checkServerIdentity: () => unknown;
    };
    expect(ca.rejectUnauthorized).toBe(true);
    expect(ca.checkServerIdentity()).toBeUndefined();
  });

  it("reads the team's certificate authority from sslrootcert, and says which file when it cannot", () => {
    const dir = mkdtempSync(join(tmpdir(), 'casefile-ca-'));
    writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
    expect(
      parseHubUrl(`postgres://alice@hub.example.org/cases?sslrootcert=${join(dir, 'ca.pem')}`).config.ssl,
    ).toMatchObject({ ca: expect.stringContaining('BEGIN CERTIFICATE') });
    expect(() => parseHubUrl(`postgres://alice@hub.example.org/cases?sslrootcert=${join(dir, 'nope.pem')}`)).toThrow(
      /sslrootcert .*nope\.pem cannot be read: ENOENT/,
    );
  });

  it('refuses what is not a hub address, saying what one looks like, and never repeats a password', () => {
    expect(() => parseHubUrl('hub.example.org')).toThrow(
      /not a URL; it looks like postgres:\/\/ROLE@HOST:5432\/DATABASE/,
    );
    expect(() => parseHubUrl('mysql://alice@hub/cases')).toThrow(/must start with postgres:\/\//);
    expect(() => parseHubUrl('postgres://alice@hub.example.org')).toThrow(/names no database/);
    expect(() => parseHubUrl('postgres://alice@hub.example.org/cases?sslmode=prefer')).toThrow(
      /sslmode must be one of disable, require, verify-ca, verify-full \(not prefer\)/,
    );
    expect(() => parseHubUrl('postgres://alice@hub.example.org/cases?options=-c%20x')).toThrow(
      /option Casefile does not know: options/,
    );
    const a = parseHubUrl('postgres://alice:s3cret@hub.example.org:6432/cases');
    expect(a.config.password).toBe('s3cret');
    expect(a.shown).toBe('postgres://alice@hub.example.org:6432/cases');
    expect(a.shown).not.toContain('s3cret');
  });
});
