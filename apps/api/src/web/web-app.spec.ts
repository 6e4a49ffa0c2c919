import { embedTenantOf, isPagePath, pageContentSecurityPolicy } from './web-app';

describe('serving the playground page', () => {
  it("answers only the page's own paths, so every API route keeps its answer", () => {
    for (const path of ['/', '/sandboxes/x', '/exercises/x', '/share/x/1', '/embed/t/sandboxes/x'])
      expect(isPagePath(path)).toBe(true);
    for (const path of [
      '/v1/sandboxes',
      '/graphql',
      '/healthz',
      '/readyz',
      '/metrics',
      '/v1/docs',
      '/nope',
    ])
      expect(isPagePath(path)).toBe(false);
  });

  it('reads the tenant of an embed path only when it is an id', () => {
    expect(embedTenantOf('/embed/8a61cdd6-9280-4f7e-be61-133ec52412ea/sandboxes/x')).toBe(
      '8a61cdd6-9280-4f7e-be61-133ec52412ea',
    );
    expect(embedTenantOf('/embed/not-an-id/sandboxes/x')).toBeUndefined();
    expect(embedTenantOf('/sandboxes/x')).toBeUndefined();
  });

  it("lets only the service's own origin frame a page unless the tenant allows more", () => {
    expect(pageContentSecurityPolicy([])).toContain("frame-ancestors 'self'");
    expect(pageContentSecurityPolicy([])).toContain("script-src 'self'");
    expect(pageContentSecurityPolicy(['https://lms.example.edu'])).toContain(
      "frame-ancestors 'self' https://lms.example.edu",
    );
  });
});
