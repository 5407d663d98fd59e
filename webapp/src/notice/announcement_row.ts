// Which row of the web app's #root grid the notice takes: #root has an "announcement" row (its own
// bars: preview mode, licence, …) and an "admin-announcement" row (the admins' banner). The notice
// takes the one the web app leaves empty, so both show, one above the other; it looks again when
// #root's children change (a bar coming or going), never deeper in the page.
import {useEffect, useState} from 'react';

function freeRow(): string {
  const root = document.getElementById('root');
  const taken = (which: string) => Boolean(root?.querySelector(`:scope > .announcement-bar${which}`));
  if (!taken('.admin-announcement')) return 'admin-announcement';
  return taken(':not(.admin-announcement)') ? 'admin-announcement' : 'announcement';
}

export function useAnnouncementRow(): string {
  const [row, setRow] = useState(freeRow);
  useEffect(() => {
    const root = document.getElementById('root');
    if (!root) return undefined;
    const observer = new MutationObserver(() => setRow(freeRow()));
    observer.observe(root, {childList: true});
    return () => observer.disconnect();
  }, []);
  return row;
}
