/**
 * The manifests editor: CodeMirror 6 with YAML highlighting, the engine's errors and warnings as
 * diagnostics at the field they name, and a gutter marking their lines. Loaded lazily: the page
 * shows the cluster before the editor's code has arrived.
 */
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import type { EditorIssue } from '../engine/analyze';

export interface YamlEditorProps {
  value: string;
  onChange: (text: string) => void;
  issues: EditorIssue[];
  readOnly: boolean;
  label: string;
  /** Select these characters and focus the editor (a new object each time it is asked). */
  jump?: { from: number; to: number } | null;
}

export default function YamlEditor({
  value,
  onChange,
  issues,
  readOnly,
  label,
  jump,
}: YamlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          yaml(),
          lintGutter(),
          EditorState.readOnly.of(readOnly),
          EditorView.editable.of(!readOnly),
          // tabindex makes the scrolling region's content focusable for every assistive tool.
          EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChangeRef.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is created once; later values arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- created once; see the next effect
  }, [readOnly, label]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const current = editor.state.doc.toString();
    if (current !== value)
      editor.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const length = editor.state.doc.length;
    const diagnostics: Diagnostic[] = issues.map((issue) => ({
      from: Math.min(issue.from, length),
      to: Math.min(Math.max(issue.to, issue.from), length),
      severity: issue.severity,
      message: `${issue.path ? `${issue.path}: ` : ''}${issue.message}`,
      source: issue.code,
    }));
    editor.dispatch(setDiagnostics(editor.state, diagnostics));
  }, [issues, value]);

  useEffect(() => {
    const editor = view.current;
    if (!editor || !jump) return;
    const length = editor.state.doc.length;
    editor.dispatch({
      selection: { anchor: Math.min(jump.from, length), head: Math.min(jump.to, length) },
      scrollIntoView: true,
    });
    editor.focus();
  }, [jump]);

  return <div className="yaml-editor" ref={host} />;
}
