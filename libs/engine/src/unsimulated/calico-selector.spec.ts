import { parseCalicoSelector } from './calico-selector';

const web = { app: 'web', tier: 'frontend', 'projectcalico.org/namespace': 'shop' };

describe("Calico's selector expressions", () => {
  it.each([
    ['', true],
    ['all()', true],
    ["app == 'web'", true],
    ['app == "db"', false],
    ["app != 'db'", true],
    ["role != 'db'", true],
    ['has(tier)', true],
    ['!has(tier)', false],
    ["app in {'web', 'api'}", true],
    ["app not in {'web'}", false],
    ["role not in {'x'}", true],
    ["tier contains 'front'", true],
    ["tier starts with 'fr'", true],
    ["tier ends with 'end'", true],
    ["tier ends with 'x'", false],
    ["app == 'web' && tier == 'backend'", false],
    ["app == 'db' || tier == 'frontend'", true],
    ["!(app == 'db' || tier == 'backend') && projectcalico.org/namespace == 'shop'", true],
    ['global()', true],
  ])('%s on app=web,tier=frontend → %s', (text, expected) => {
    const selector = parseCalicoSelector(text);
    expect(selector).not.toBeNull();
    expect(selector?.(web)).toBe(expected);
  });

  it.each([
    "app = 'web'",
    'app == web',
    "app == 'web' &&",
    'has(app',
    "app in {'a' 'b'}",
    `${'('.repeat(40)}all()${')'.repeat(40)}`,
    `app == '${'x'.repeat(5000)}'`,
  ])('cannot read %s', (text) => {
    expect(parseCalicoSelector(text)).toBeNull();
  });
});
