// /admin/discord: where the Discord bot answers (guilds, channels, direct messages) and the models each channel's
// conversations start with. Both are system configs (audited: who changed what, when); the server validates them.
import { type FormEvent, useEffect, useId, useState } from 'react';
import { apiRequest } from '../api.ts';
import { FormProblem } from '../form-problem.tsx';
import type { DiscordSettings } from '../types.ts';
import { channelModelsOf, channelModelsText, idsOf, idsText } from './discord-settings-form.ts';

export function DiscordPage({ onForbidden }: { onForbidden: (error: unknown) => boolean }) {
  const ids = useId();
  const [loaded, setLoaded] = useState(false);
  const [guilds, setGuilds] = useState('');
  const [channels, setChannels] = useState('');
  const [directMessages, setDirectMessages] = useState(true);
  const [channelModels, setChannelModels] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    apiRequest<DiscordSettings>('GET', '/api/admin/discord')
      .then(({ access, channelModels }) => {
        setGuilds(idsText(access.guildIds));
        setChannels(idsText(access.channelIds));
        setDirectMessages(access.directMessages);
        setChannelModels(channelModelsText(channelModels));
        setLoaded(true);
      })
      .catch((error: unknown) => {
        if (!onForbidden(error)) setProblem(error instanceof Error ? error.message : String(error));
      });
  }, [onForbidden]);

  async function save(event: FormEvent, path: string, value: unknown, what: string) {
    event.preventDefault();
    setSaved(null);
    try {
      await apiRequest('PUT', path, value);
      setProblem(null);
      setSaved(`${what} saved.`);
    } catch (error) {
      if (!onForbidden(error)) setProblem(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  if (!loaded) return problem ? <FormProblem problem={problem} /> : <p className="muted">Loading…</p>;
  return (
    <div className="admin-discord">
      <FormProblem problem={problem} />
      {saved && (
        <p className="admin-notice" role="status">
          {saved}
        </p>
      )}
      <form
        className="admin-panel"
        onSubmit={(event) =>
          void save(
            event,
            '/api/admin/discord/access',
            { guildIds: idsOf(guilds), channelIds: idsOf(channels), directMessages },
            'Where the bot answers',
          )
        }
      >
        <h2>Where the bot answers</h2>
        <p className="muted">
          Empty lists answer everywhere the bot can see. Guilds narrow it to those servers; channels narrow it to those
          channels (and their threads).
        </p>
        <label htmlFor={`${ids}-guilds`}>Guild ids, one a line</label>
        <textarea id={`${ids}-guilds`} rows={3} value={guilds} onChange={(event) => setGuilds(event.target.value)} />
        <label htmlFor={`${ids}-channels`}>Channel ids, one a line</label>
        <textarea
          id={`${ids}-channels`}
          rows={3}
          value={channels}
          onChange={(event) => setChannels(event.target.value)}
        />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={directMessages}
            onChange={(event) => setDirectMessages(event.target.checked)}
          />
          Answer direct messages
        </label>
        <div className="admin-actions">
          <button type="submit" className="primary">
            Save
          </button>
        </div>
      </form>
      <form
        className="admin-panel"
        onSubmit={(event) =>
          void save(event, '/api/admin/discord/channel-models', channelModelsOf(channelModels), "Channels' models")
        }
      >
        <h2>Channels' models</h2>
        <p className="muted">
          One channel a line, <code>channel id: model id, model id</code>. Each new conversation of the channel (and of
          its threads) starts with these models; <code>/use</code> in Discord changes the current one's.
        </p>
        <label htmlFor={`${ids}-models`}>Channels and their models</label>
        <textarea
          id={`${ids}-models`}
          rows={4}
          value={channelModels}
          placeholder="123456789012345678: openai:gpt-4o, anthropic:claude-sonnet-4"
          onChange={(event) => setChannelModels(event.target.value)}
        />
        <div className="admin-actions">
          <button type="submit" className="primary">
            Save
          </button>
        </div>
      </form>
    </div>
  );
}
