import { useMemo } from 'react';
import { changedWithContext, lineDiff } from '../view/text-diff';

/** A unified diff of two texts; added and removed lines carry + and − as well as colour. */
export function DiffView({
  before,
  after,
  label,
}: {
  before: string;
  after: string;
  label: string;
}) {
  const lines = useMemo(() => changedWithContext(lineDiff(before, after)), [before, after]);
  if (lines.length === 0) return <p className="muted">No change.</p>;
  return (
    <pre className="diff" aria-label={label} tabIndex={0}>
      {lines.map((line, i) =>
        line === null ? (
          <span key={i} className="diff-gap">
            {'…\n'}
          </span>
        ) : (
          <span key={i} className={`diff-${line.kind}`}>
            {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
            {line.text}
            {'\n'}
          </span>
        ),
      )}
    </pre>
  );
}
