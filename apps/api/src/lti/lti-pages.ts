// The small HTML pages of the LTI flows. They run inside the platform's iframe or popup, carry no
// script from elsewhere, and escape everything they show. A page that posts a form does it with a
// one-line inline script allowed by its own nonce (CSP), and keeps a button for browsers without
// script.
import { randomBytes } from 'node:crypto';
import type { Response } from 'express';

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] ?? '',
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:40rem}code{background:#eee;padding:0 .2em}li{margin:.4rem 0}</style>
</head><body>${body}</body></html>`;
}

function send(response: Response, status: number, html: string, scriptNonce?: string): void {
  response
    .status(status)
    .setHeader('content-type', 'text/html; charset=utf-8')
    .setHeader('cache-control', 'no-store')
    .setHeader(
      'content-security-policy',
      [
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        scriptNonce ? `script-src 'nonce-${scriptNonce}'` : "script-src 'none'",
        // The platform's URLs (auth endpoint, deep-link return) are other origins.
        'form-action *',
        'frame-ancestors *',
        "base-uri 'none'",
      ].join('; '),
    )
    .send(html);
}

/** A refusal: the sentence for the person in front of the LMS, and the reason code for support. */
export function sendErrorPage(
  response: Response,
  status: number,
  reason: string,
  message: string,
): void {
  send(
    response,
    status,
    page(
      'netplay could not open this link',
      `<h1>netplay could not open this link</h1><p id="lti-error" data-reason="${escapeHtml(reason)}">${escapeHtml(message)}</p>
<p>Reason code: <code>${escapeHtml(reason)}</code>. Reload the course page and try again; if this keeps happening, send the reason code to your course administrator.</p>`,
    ),
  );
}

/** An auto-submitted POST form (the OIDC auth request, the deep-linking response). */
export function sendAutoPostForm(
  response: Response,
  action: string,
  fields: Record<string, string>,
  title: string,
): void {
  const nonce = randomBytes(16).toString('base64');
  const inputs = Object.entries(fields)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join('');
  send(
    response,
    200,
    page(
      title,
      `<form id="lti-form" method="post" action="${escapeHtml(action)}">${inputs}<button type="submit">Continue</button></form>
<script nonce="${nonce}">document.getElementById('lti-form').submit()</script>`,
    ),
    nonce,
  );
}

export interface PickerExercise {
  id: string;
  title: string;
  points: number;
}

/** The deep-linking picker: one button per exercise, each posting the sealed request back. */
export function sendPickerPage(
  response: Response,
  action: string,
  request: string,
  exercises: readonly PickerExercise[],
): void {
  const items = exercises.length
    ? exercises
        .map(
          (exercise) =>
            `<li><form method="post" action="${escapeHtml(action)}"><input type="hidden" name="request" value="${escapeHtml(request)}"><input type="hidden" name="exercise_id" value="${escapeHtml(exercise.id)}"><button type="submit" data-exercise="${escapeHtml(exercise.id)}">${escapeHtml(exercise.title)}</button> (${exercise.points} points)</form></li>`,
        )
        .join('')
    : '<li>This netplay tenant has no exercises yet: publish one first (POST /v1/exercises).</li>';
  send(
    response,
    200,
    page(
      'Pick a netplay exercise',
      `<h1>Pick a netplay exercise</h1><p>The course gets a link that opens the exercise, and a gradebook column for its score.</p><ul>${items}</ul>`,
    ),
  );
}

/** Dynamic Registration's last page: tells the platform's window to close it (DR 1.0 §3.6.3). */
export function sendRegistrationDone(response: Response, summary: string): void {
  const nonce = randomBytes(16).toString('base64');
  send(
    response,
    200,
    page(
      'netplay is registered',
      `<h1>netplay is registered</h1><p id="lti-registered">${escapeHtml(summary)}</p>
<script nonce="${nonce}">(window.opener || window.parent).postMessage({subject: 'org.imsglobal.lti.close'}, '*')</script>`,
    ),
    nonce,
  );
}
