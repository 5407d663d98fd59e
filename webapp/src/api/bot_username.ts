// The bot's username when the plugin's settings are not readable (every user but admins): the
// bridge's setup default. A module of its own so the entry chunk carries only this.
export const DEFAULT_BOT_USERNAME = 'healthcheck-bot';
