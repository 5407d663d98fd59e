import {BOT_PROPS, botStatus, parseBotStatus, trustPostBody, whyNotTrusted, type TrustPostLike, type UserLike} from './trust';

const BOT = 'bot0000000000000000000000a';
const ADMIN = 'adm0000000000000000000000a';
const POST = 'pst0000000000000000000000a';
const bot: UserLike = {id: BOT, is_bot: true, delete_at: 0, roles: 'system_user', props: {[BOT_PROPS.trust]: POST}};
const admin: UserLike = {id: ADMIN, roles: 'system_user system_admin', delete_at: 0};
const declaration: TrustPostLike = {id: POST, user_id: ADMIN, edit_at: 0, delete_at: 0, ...trustPostBody({userId: BOT, username: 'hc-bot'})};

describe('whyNotTrusted', () => {
  it('trusts a bot pointing at an unedited declaration of it by a system admin', () => {
    expect(whyNotTrusted(bot, declaration, admin)).toBeNull();
  });

  it.each<[string, UserLike, TrustPostLike | null, UserLike | null]>([
    ['a human with the props', {...bot, is_bot: false}, declaration, admin],
    ['a deactivated bot', {...bot, delete_at: 5}, declaration, admin],
    ['a bot without a pointer', {...bot, props: {}}, declaration, admin],
    ['another bot pointing at this declaration', {...bot, id: 'oth0000000000000000000000a'}, declaration, admin],
    ['a declaration by a normal user', bot, {...declaration, user_id: 'usr0000000000000000000000a'}, {id: 'usr0000000000000000000000a', roles: 'system_user'}],
    ['a declaration by a deactivated admin', bot, declaration, {...admin, delete_at: 9}],
    ['an edited declaration', bot, {...declaration, edit_at: 7}, admin],
    ['props changed without an edit', bot, {...declaration, props: {healthcheck_trust: {schema: 'healthcheck.trust/v1', botUserId: BOT, botUsername: 'evil'}}}, admin],
    ['a deleted declaration', bot, {...declaration, delete_at: 3}, admin],
    ['another post type', bot, {...declaration, type: 'custom_healthcheck_report'}, admin],
    ['no declaration', bot, null, admin],
    ['an author who is not the poster', bot, declaration, {...admin, id: 'xyz0000000000000000000000a'}],
    ["an admin's incoming webhook", bot, {...declaration, props: {...declaration.props, from_webhook: 'true'}}, admin],
    ["an admin's command answer with an override username", bot, {...declaration, props: {...declaration.props, override_username: 'healthcheck'}}, admin],
    ['an override icon', bot, {...declaration, props: {...declaration.props, override_icon_url: ''}}, admin],
  ])('refuses %s', (_what, b, d, a) => {
    expect(whyNotTrusted(b, d, a)).not.toBeNull();
  });
});

describe('the bot status', () => {
  it('names the state, the trigger and the latest report, and reads back', () => {
    const status = botStatus('ok', 'healthcheck', POST);
    expect(status).toEqual({emoji: 'white_check_mark', text: `OK · /healthcheck · report ${POST}`});
    expect(parseBotStatus({id: BOT, props: {[BOT_PROPS.customStatus]: JSON.stringify(status)}})).toEqual({reportId: POST, trigger: 'healthcheck', notice: null});
  });
  it('leaves out a trigger too long to fit, and reads nothing from a foreign status', () => {
    const status = botStatus('failing', 'x'.repeat(90), POST);
    expect(status.text).toBe(`FAILING · report ${POST}`);
    expect(parseBotStatus({id: BOT, props: {[BOT_PROPS.customStatus]: JSON.stringify(status)}})).toEqual({reportId: POST, trigger: null, notice: null});
    expect(parseBotStatus({id: BOT, props: {[BOT_PROPS.customStatus]: '{"text":"in a meeting"}'}})).toEqual({reportId: null, trigger: null, notice: null});
    expect(parseBotStatus({id: BOT, props: {[BOT_PROPS.customStatus]: 'not json'}})).toEqual({reportId: null, trigger: null, notice: null});
  });
});
