import { ApiRequestError } from '../api/client';

/** An API or engine failure, said plainly, announced to screen readers. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const text =
    error instanceof ApiRequestError
      ? `${error.message} (${error.code}, HTTP ${error.status})`
      : error instanceof Error
        ? error.message
        : String(error);
  return (
    <p role="alert" className="error">
      {text}
    </p>
  );
}
