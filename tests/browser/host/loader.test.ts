// Bundle URLs as the web app builds them from a manifest's bundle_path.
import {bundleUrl} from './loader';

describe('bundleUrl', () => {
  it('moves /static/<id>/ under /static/plugins/', () => {
    expect(bundleUrl('http://h:1', '/static/p/p_abc_bundle.js')).toBe('http://h:1/static/plugins/p/p_abc_bundle.js');
  });
  it('keeps a path already under /static/plugins/', () => {
    expect(bundleUrl('http://h:1', '/static/plugins/p/p_abc_bundle.js')).toBe('http://h:1/static/plugins/p/p_abc_bundle.js');
  });
});
