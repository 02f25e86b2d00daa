import { useMemo, useRef } from 'react';
import CodeMirror from '@uiw/react-codemirror';
import { markdown } from '@codemirror/lang-markdown';
import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { EditorView } from '@codemirror/view';
import { useQuery } from '../../lib/use-query';
import { useScreenTheme } from '../settings/theme';

const KEY_CHARS = /^[\p{L}\p{N}_:.\-+/]*$/u;

/**
 * The note's Markdown in CodeMirror 6: wraps lines, sets each line's direction from its text
 * (Pashto and English paragraphs in one note), and completes `@key` from the source library.
 */
export function NoteEditor({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const keys = useQuery('sources.keys', {}, ['sources']);
  const keysRef = useRef(keys.data ?? []);
  keysRef.current = keys.data ?? [];

  const extensions = useMemo(() => {
    const complete = (ctx: CompletionContext): CompletionResult | null => {
      const m = ctx.matchBefore(/@[\p{L}\p{N}_:.\-+/]*/u);
      if (!m) return null;
      // `name@example.org` is an address, not a citation.
      const before = m.from > 0 ? ctx.state.sliceDoc(m.from - 1, m.from) : '';
      if (/[\p{L}\p{N}_]/u.test(before)) return null;
      return {
        from: m.from + 1,
        validFor: KEY_CHARS,
        options: keysRef.current.map((k) => ({
          label: k.key,
          detail: [k.authors?.slice(0, 40), k.published?.slice(0, 4)].filter(Boolean).join(', '),
          info: k.title,
          type: 'text',
        })),
      };
    };
    return [
      markdown(),
      autocompletion({ override: [complete], activateOnTyping: true }),
      EditorView.lineWrapping,
      EditorView.perLineTextDirection.of(true),
    ];
  }, []);

  const theme = useScreenTheme();
  return (
    <div className="editor-box" data-testid="note-editor">
      <CodeMirror
        theme={theme}
        value={value}
        onChange={onChange}
        extensions={extensions}
        height="100%"
        basicSetup={{ foldGutter: false, highlightActiveLine: false }}
        aria-label="Note text (Markdown)"
      />
    </div>
  );
}
