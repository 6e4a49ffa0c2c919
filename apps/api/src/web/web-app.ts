// Serves the playground page (apps/web, built to dist/apps/web) from the API process: its assets
// under /assets, and index.html for the page's own paths only, so every API route (/v1, /graphql,
// /healthz, ...) keeps its answer and an unknown path is still the API's 404.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { findUp } from '../config/api-config';
import { isUuid } from '@netplay/contracts';

/** First path segments the page answers (besides `/` itself). */
export const PAGE_PREFIXES = ['sandboxes', 'exercises', 'share', 'embed'];

export function isPagePath(pathname: string): boolean {
  if (pathname === '/') return true;
  const first = pathname.split('/')[1] ?? '';
  return PAGE_PREFIXES.includes(first);
}

/** The built page: the configured folder (NETPLAY_WEB_DIR), else dist/apps/web found upwards. */
export function findWebRoot(configured: string | undefined, from = __dirname): string | undefined {
  if (configured) return path.resolve(configured);
  const index = findUp(from, 'dist/apps/web/index.html');
  return index ? path.dirname(index) : undefined;
}

/**
 * The page's Content-Security-Policy: its own scripts and worker only, API calls to its own origin,
 * inline styles (CodeMirror and React set style attributes). `frameAncestors` are the origins that
 * may frame it: the embed pages add the tenant's, every other page only its own.
 */
export function pageContentSecurityPolicy(frameAncestors: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "worker-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${["'self'", ...frameAncestors].join(' ')}`,
  ].join('; ');
}

/** The tenant id of an embed path, `/embed/<tenantId>/...`, when it is one. */
export function embedTenantOf(pathname: string): string | undefined {
  const [, first, tenant] = pathname.split('/');
  return first === 'embed' && tenant && isUuid(tenant) ? tenant : undefined;
}

export interface WebAppOptions {
  root: string;
  embedOriginsOf: (tenantId: string) => Promise<string[]>;
  onError: (error: unknown) => void;
}

export function mountWebApp(app: NestExpressApplication, options: WebAppOptions): void {
  const indexHtml = readFileSync(path.join(options.root, 'index.html'));
  // Asset names carry a content hash: they never change, so browsers keep them.
  app.useStaticAssets(path.join(options.root, 'assets'), {
    prefix: '/assets/',
    immutable: true,
    maxAge: '365d',
    index: false,
    fallthrough: true,
  });
  app.use(async (request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !isPagePath(request.path))
      return next();
    const tenant = embedTenantOf(request.path);
    let ancestors: string[] = [];
    if (tenant) {
      try {
        ancestors = await options.embedOriginsOf(tenant);
      } catch (error) {
        // Without the tenant's list the page is still served, framed by its own origin only.
        options.onError(error);
      }
    }
    response
      .status(200)
      .setHeader('Content-Type', 'text/html; charset=utf-8')
      .setHeader('Cache-Control', 'no-cache')
      .setHeader('Content-Security-Policy', pageContentSecurityPolicy(ancestors))
      .setHeader('X-Content-Type-Options', 'nosniff')
      .setHeader('Referrer-Policy', 'no-referrer')
      .end(request.method === 'HEAD' ? undefined : indexHtml);
  });
}
