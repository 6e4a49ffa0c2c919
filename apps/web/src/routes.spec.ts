import { parseRoute, pathFor, shareLink, withShareToken } from './routes';
import { tokenFromFragment } from './session';

describe('the page addresses', () => {
  it('reads the screens and the probe from the address', () => {
    expect(parseRoute('/', '')).toEqual({ screen: { name: 'home' }, embed: false });
    expect(
      parseRoute('/sandboxes/abc', '?from=default%2Fclient&to=http%3A%2F%2Fweb%2F&protocol=UDP'),
    ).toEqual({
      screen: { name: 'sandbox', sandboxId: 'abc' },
      embed: false,
      probe: { from: 'default/client', to: 'http://web/', protocol: 'UDP' },
    });
    expect(parseRoute('/share/abc/3', '').screen).toEqual({
      name: 'share',
      sandboxId: 'abc',
      version: 3,
    });
    expect(parseRoute('/share/abc/x', '').screen).toEqual({ name: 'not-found' });
    expect(parseRoute('/sandboxes/abc', '?from=a&to=b&protocol=HTTP').probe).toEqual({
      from: 'a',
      to: 'b',
    });
  });

  it('keeps embedded pages embedded', () => {
    const route = parseRoute('/embed/t-1/exercises/x', '');
    expect(route).toEqual({
      screen: { name: 'exercise', exerciseId: 'x' },
      embed: true,
      tenantId: 't-1',
    });
    expect(pathFor(route, '/sandboxes/s')).toBe('/embed/t-1/sandboxes/s');
    expect(
      shareLink('http://h', route, 's', 2, { from: 'a/b', to: 'http://c/', host: 'x.example' }),
    ).toBe('http://h/embed/t-1/share/s/2?from=a%2Fb&to=http%3A%2F%2Fc%2F&host=x.example');
  });

  it('puts a share token in the fragment, where the page reads it and no server sees it', () => {
    const link = withShareToken('http://h/share/s/2?from=a%2Fb&to=http%3A%2F%2Fc%2F', 'nsh_x-y');
    expect(link).toBe('http://h/share/s/2?from=a%2Fb&to=http%3A%2F%2Fc%2F#token=nsh_x-y');
    expect(tokenFromFragment(new URL(link).hash)).toBe('nsh_x-y');
    expect(withShareToken(`${link}`, 'nsh_new')).toMatch(/#token=nsh_new$/);
  });

  it('takes a token from the fragment only', () => {
    expect(tokenFromFragment('#token=np_abc')).toBe('np_abc');
    expect(tokenFromFragment('#other=1')).toBeUndefined();
    expect(tokenFromFragment('')).toBeUndefined();
  });
});
