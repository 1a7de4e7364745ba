import { useEffect, useMemo, useRef } from 'react';
import CodeMirror from '@uiw/react-codemirror';
import { MySQL, sql } from '@codemirror/lang-sql';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { Prec } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import type { SchemaTable } from '@akili/plugin-starrocks-common';
import { completionSchema, offsetOf, SqlErrorPosition } from '../../lib/sql';

/** Props of {@link SqlEditor}. */
export interface SqlEditorProps {
  value: string;
  onChange(value: string): void;
  /** Ctrl/Cmd+Enter. */
  onRun(): void;
  /** Tables completed after `FROM`, with their columns after a `.`. */
  tables: SchemaTable[];
  /** A refusal to mark in the text. */
  error?: { message: string; position?: SqlErrorPosition };
}

/**
 * The SQL editor: CodeMirror with the MySQL dialect (StarRocks speaks it), completion of the
 * tenant's tables and columns, Ctrl/Cmd+Enter to run, and the guard's refusal marked where it
 * points. Loaded lazily: CodeMirror is the heaviest part of the page.
 */
const SqlEditor = (props: SqlEditorProps) => {
  const { value, onChange, tables, error } = props;
  const view = useRef<EditorView>();
  const onRun = useRef(props.onRun);
  onRun.current = props.onRun;

  const extensions = useMemo(
    () => [
      sql({
        dialect: MySQL,
        schema: completionSchema(tables),
        upperCaseKeywords: true,
      }),
      lintGutter(),
      EditorView.contentAttributes.of({ 'aria-label': 'SQL' }),
      // A light editor with its own dark text in both app themes: under the dark theme's light
      // text CodeMirror's light palette was unreadable, and One Dark has tokens under 4.5:1.
      EditorView.theme({
        '&': { color: '#1f2328', backgroundColor: '#ffffff' },
      }),
      EditorView.lineWrapping,
      Prec.highest(
        keymap.of([
          {
            key: 'Mod-Enter',
            run: () => {
              onRun.current();
              return true;
            },
          },
        ]),
      ),
    ],
    [tables],
  );

  // Marks the refusal; editing the text clears it (the next run decides again).
  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const text = editor.state.doc.toString();
    const diagnostics = error?.position
      ? [
          {
            from: offsetOf(text, error.position),
            to: Math.min(offsetOf(text, error.position) + 1, text.length),
            severity: 'error' as const,
            message: error.message,
          },
        ]
      : [];
    editor.dispatch(setDiagnostics(editor.state, diagnostics));
  }, [error]);

  return (
    <CodeMirror
      value={value}
      onChange={onChange}
      extensions={extensions}
      minHeight="160px"
      maxHeight="40vh"
      basicSetup={{ lineNumbers: true, foldGutter: false }}
      onCreateEditor={editor => {
        view.current = editor;
      }}
    />
  );
};

export default SqlEditor;
