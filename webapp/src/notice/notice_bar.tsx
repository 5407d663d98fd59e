// The degraded-service notice every signed-in user sees while the trusted bot's status carries one:
// one slim line in the user's language, zone and clock, a link to the status page, and a close
// button that hides it until the notice changes. Read from the status text alone: no request but
// the trust check, once per session.
import {customStatusExpiry, parseBotStatus, BOT_PROPS, type UserLike} from '@contract-trust';
import {useEffect, useState} from 'react';
import {useServices} from '../host/services';
import {siteUrl, userLocale} from '../host/state';
import {userClock} from './clock';
import {openStatusPage, statusPath} from '../status_page/open';
import {color} from '../styles';
import {useAnnouncementRow} from './announcement_row';
import {noticeSentence, noticeTime, noticeWords} from './notice_words';

const HIDDEN_KEY = 'mattermost-healthcheck.notice.hidden';

function hiddenNotice(): string | null {
  try {
    return window.localStorage.getItem(HIDDEN_KEY);
  } catch {
    return null;
  }
}

export default function NoticeBar({bot}: {bot: UserLike}) {
  const {store, resolver} = useServices();
  const [trusted, setTrusted] = useState(false);
  const [hidden, setHidden] = useState(hiddenNotice);
  const row = useAnnouncementRow();
  useEffect(() => {
    let live = true;
    // Cached by the resolver: only the first notice of a session asks the server.
    resolver.isTrustedBot(bot.id).then(
      (ok) => live && setTrusted(ok),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [resolver, bot.id]);

  // The bridge's status expires when it stops writing it (a bridge that died): then so does the notice.
  const expiresAt = customStatusExpiry(bot);
  const [, setExpired] = useState(false);
  useEffect(() => {
    if (expiresAt === null) return undefined;
    const timer = setTimeout(() => setExpired(true), Math.min(Math.max(0, expiresAt - Date.now()) + 500, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [expiresAt]);

  const {notice} = parseBotStatus(bot);
  if (!trusted || !notice || (expiresAt !== null && expiresAt <= Date.now())) return null;
  const id = JSON.stringify(notice);
  if (hidden === id) return null;

  const state = store.getState();
  const locale = userLocale(state);
  const words = noticeWords(locale);
  const custom = bot.props?.[BOT_PROPS.noticeText];
  const text = noticeSentence(locale, notice, noticeTime(locale, notice.since, Date.now(), userClock(state)), typeof custom === 'string' && custom ? custom : null);
  const path = statusPath(store);
  const down = notice.services.some((s) => s.down);
  const hide = () => {
    setHidden(id);
    try {
      window.localStorage.setItem(HIDDEN_KEY, id);
    } catch {
      // Private mode: hidden until the page reloads.
    }
  };
  return (
    <div
      role='status'
      data-testid='healthcheck-notice'
      style={{
        gridArea: row,
        display: 'flex',
        alignItems: 'center',
        gap: 12,
        minHeight: 28,
        padding: '4px 12px',
        fontSize: 13,
        lineHeight: '18px',
        color: color.text,
        background: color.bg,
        backgroundImage: `linear-gradient(${down ? 'rgba(var(--error-text-color-rgb, 210, 75, 78), 0.16)' : color.warnTint}, ${down ? 'rgba(var(--error-text-color-rgb, 210, 75, 78), 0.16)' : color.warnTint})`,
        borderBottom: `2px solid ${down ? color.error : color.warn}`,
        zIndex: 10,
      }}
    >
      <span style={{flex: 1, textAlign: 'center'}}>
        {text}{' '}
        {path && (
          <a
            href={`${siteUrl(state)}${path}`}
            style={{color: color.link, fontWeight: 600}}
            onClick={(e) => {
              e.preventDefault();
              openStatusPage(store);
            }}
          >
            {words.details}
          </a>
        )}
      </span>
      <button
        type='button'
        aria-label={words.hide}
        title={words.hide}
        onClick={hide}
        style={{background: 'none', border: 'none', color: color.text, cursor: 'pointer', fontSize: 16, lineHeight: '16px', padding: 2}}
      >
        ×
      </button>
    </div>
  );
}
