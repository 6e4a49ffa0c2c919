// Times every request, labelled by the route template (`/v1/sandboxes/:id`, not the id itself, so
// the label set stays small); requests no route matched share one label.
import type { NextFunction, Request, Response } from 'express';
import type { MetricsService } from './metrics.service';

export function httpMetricsMiddleware(metrics: MetricsService) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const stop = metrics.httpRequestDuration.startTimer();
    response.on('finish', () => {
      const routePath: unknown = request.route?.path;
      const route = typeof routePath === 'string' ? `${request.baseUrl}${routePath}` : 'unmatched';
      stop({ route, method: request.method, status: String(response.statusCode) });
    });
    next();
  };
}
