import { describe, expect, it } from 'vitest';
import { terminalField, terminalLines } from '../../../src/shared/text/terminal-text';

describe('terminal text', () => {
  it('shows escape sequences, C1 controls and direction overrides as \\u escapes', () => {
    const title = 'ISKP\u001b]0;owned\u0007 report\u001b[2J\u009b31m \u202Egpj.exe \u2066x\u2069\u007f';
    const out = terminalLines(title);
    expect(out).toBe('ISKP\\u001B]0;owned\\u0007 report\\u001B[2J\\u009B31m \\u202Egpj.exe \\u2066x\\u2069\\u007F');
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it('keeps newlines and tabs between lines, but not inside a field', () => {
    expect(terminalLines('a\n\tb\r')).toBe('a\n\tb\\u000D');
    expect(terminalField('x\n  integrity: ok\r')).toBe('x\\u000A  integrity: ok\\u000D');
  });

  it('leaves Arabic, Pashto and their direction marks as they are', () => {
    const pashto = 'د طالبانو\u200F اعلامیه — Ñandú 📄';
    expect(terminalField(pashto)).toBe(pashto);
  });

  it('keeps JSON output exact: an escaped control character parses back to itself', () => {
    const value = { title: 'a\u009b\u202E\u007fb\\u0041', n: 1 };
    expect(JSON.parse(terminalLines(JSON.stringify(value)))).toEqual(value);
  });
});
