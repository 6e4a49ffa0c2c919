/**
 * Exercise instructions are Markdown; the page shows paragraphs, numbered and bulleted lines,
 * `code` and **bold** as such, and everything else as written (no HTML is ever interpreted).
 */
import type { ReactNode } from 'react';

function inline(text: string): ReactNode[] {
  return text.split(/(`[^`]+`|\*\*[^*]+\*\*)/g).map((part, i) => {
    if (part.startsWith('`') && part.endsWith('`') && part.length > 1)
      return <code key={i}>{part.slice(1, -1)}</code>;
    if (part.startsWith('**') && part.endsWith('**') && part.length > 3)
      return <strong key={i}>{part.slice(2, -2)}</strong>;
    return part;
  });
}

export function PlainMarkdown({ text }: { text: string }) {
  const blocks = text.trim().split(/\n\s*\n/);
  return (
    <>
      {blocks.map((block, i) => {
        const lines = block.split('\n');
        if (lines.every((l) => /^\s*\d+\.\s/.test(l)))
          return (
            <ol key={i}>
              {lines.map((l, j) => (
                <li key={j}>{inline(l.replace(/^\s*\d+\.\s/, ''))}</li>
              ))}
            </ol>
          );
        if (lines.every((l) => /^\s*[-*]\s/.test(l)))
          return (
            <ul key={i}>
              {lines.map((l, j) => (
                <li key={j}>{inline(l.replace(/^\s*[-*]\s/, ''))}</li>
              ))}
            </ul>
          );
        return <p key={i}>{inline(lines.join(' '))}</p>;
      })}
    </>
  );
}
