import { useEffect, useRef } from 'react';
import { matchingLines } from '../view/hops';

/** A node's kube-proxy rules or routes, the rule a hop applied highlighted and scrolled to. */
export function NodeViewDialog({
  title,
  text,
  match,
  onClose,
}: {
  title: string;
  text: string | null;
  match: string;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  useEffect(() => {
    dialog.current?.querySelector('.rule-hit')?.scrollIntoView({ block: 'center' });
  }, [text]);
  const hits = new Set(text ? matchingLines(text, match) : []);
  return (
    <dialog ref={dialog} className="node-view" aria-labelledby="node-view-title" onClose={onClose}>
      <div className="dialog-head">
        <h2 id="node-view-title">{title}</h2>
        <button type="button" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
      <p className="muted">
        Highlighted: lines with <code>{match}</code> ({hits.size} found)
      </p>
      <pre tabIndex={0} aria-label={title}>
        {text === null
          ? 'Loading…'
          : text.split('\n').map((line, i) => (
              <span key={i} className={hits.has(i + 1) ? 'rule-hit' : undefined}>
                {hits.has(i + 1) ? '▶ ' : '  '}
                {line}
                {'\n'}
              </span>
            ))}
      </pre>
    </dialog>
  );
}
