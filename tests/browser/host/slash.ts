// A slash command typed in the preview's command box, handled as the web app's submitCommand does:
// the plugins' SlashCommandWillBePosted hooks in order (the first {} consumes it), then the server.
import type {CommandArgs as MmCommandArgs, CommandResponse as MmCommandResponse} from '@mattermost/types/integrations';
import {apiCall} from './api';
import type {ComponentEntry} from './store';

/** What the web app passes to the hooks and the server: every field set (the package has them optional). */
export type CommandArgs = Required<MmCommandArgs>;

export type HookOutcome = {kind: 'error'; message: string} | {kind: 'consumed'} | {kind: 'pass'; message: string; args: CommandArgs};

export async function runSlashHooks(hooks: ComponentEntry[], original: string, originalArgs: CommandArgs): Promise<HookOutcome> {
  let message: string | undefined = original;
  let args = originalArgs;
  for (const entry of hooks) {
    const result = (await entry.hook?.(message ?? '', args)) as {error?: {message?: string}; message?: string; args?: CommandArgs} | undefined;
    if (!result) continue;
    if ('error' in result) return {kind: 'error', message: result.error?.message ?? 'rejected by a plugin'};
    message = result.message;
    args = result.args ?? args;
    if (Object.keys(result).length === 0) break;
  }
  return message ? {kind: 'pass', message, args} : {kind: 'consumed'};
}

export type CommandResponse = Partial<Pick<MmCommandResponse, 'text' | 'response_type' | 'goto_location'>>;

export async function executeCommand(message: string, args: CommandArgs): Promise<CommandResponse> {
  return (await apiCall<CommandResponse>('POST', '/commands/execute', {command: message, ...args})).data;
}
