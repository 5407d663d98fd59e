import {act, renderHook} from '@testing-library/react';
import {useAnnouncementRow} from './announcement_row';

describe("the notice's row in the web app's grid", () => {
  afterEach(() => document.getElementById('root')?.remove());

  it('takes the row the web app leaves empty, and moves when a bar comes', async () => {
    const root = document.createElement('div');
    root.id = 'root';
    document.body.append(root);
    const {result} = renderHook(() => useAnnouncementRow());
    expect(result.current).toBe('admin-announcement');
    const banner = document.createElement('div');
    banner.className = 'announcement-bar admin-announcement';
    await act(async () => void root.append(banner));
    expect(result.current).toBe('announcement');
    const preview = document.createElement('div');
    preview.className = 'announcement-bar';
    await act(async () => void root.append(preview));
    // Both taken: it sits over the admins' banner rather than the web app's own bar.
    expect(result.current).toBe('admin-announcement');
    await act(async () => void banner.remove());
    expect(result.current).toBe('admin-announcement');
  });
});
