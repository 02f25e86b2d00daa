import { describe, expect, it } from 'vitest';
import { askToOpen, webAddress } from '../../../src/main/link-policy';

const own = (href: string) => href.startsWith('app://casefile/');

describe('links that leave the app', () => {
  it('lets only http(s) addresses without credentials out, never our own pages', () => {
    expect(webAddress('https://example.org/a?b=1#c', own)?.href).toBe('https://example.org/a?b=1#c');
    expect(webAddress('http://example.org', own)?.href).toBe('http://example.org/');
    for (const bad of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'app://casefile/index.html',
      'https://user:pw@example.org/',
      'ms-msdt:x',
      'not a url',
      '',
    ]) {
      expect(webAddress(bad, own), bad).toBeNull();
    }
  });

  it('asks first, showing the whole address, with Cancel as the default and the answer to Escape', () => {
    const long = `https://example.org/${'a/'.repeat(300)}?q=${'x'.repeat(200)}`;
    const q = askToOpen(webAddress(long, own)!);
    expect(q.detail).toBe(long);
    expect(q.buttons).toEqual(['Cancel', 'Open in browser']);
    expect(q.defaultId).toBe(0);
    expect(q.cancelId).toBe(0);
    expect(q.message).toMatch(/example\.org/);
  });

  it('shows a look-alike host as punycode and direction controls as code points', () => {
    const q = askToOpen(webAddress('https://аpple.com/\u202Egpj.exe', own)!);
    expect(q.message).toContain('xn--pple-43d.com');
    expect(q.detail).toBe('https://xn--pple-43d.com/%E2%80%AEgpj.exe');
    const frag = askToOpen(webAddress('https://example.org/#\u202Eevil', own)!);
    expect(frag.detail).toBe('https://example.org/#%E2%80%AEevil');
  });

  it('cuts an enormous address in the middle and says how much it left out', () => {
    const q = askToOpen(webAddress(`https://example.org/${'z'.repeat(50_000)}end`, own)!);
    expect(q.detail.length).toBeLessThan(2100);
    expect(q.detail).toMatch(/^https:\/\/example\.org\/z+ … \([\d,]+ characters not shown\) … z+end$/);
  });
});
