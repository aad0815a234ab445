// Application commands, global and per guild: list, bulk overwrite (PUT, what bots do at start-up), create (an
// upsert by name, as Discord's POST is), fetch, edit and delete.
import type { FakeWorld } from '../events.ts';
import { DiscordApiError, invalidField, notFound, type Route, route } from '../rest.ts';
import type { FakeCommand } from '../state.ts';
import { commandPayload } from '../wire.ts';

const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

function checkApplication(world: FakeWorld, applicationId: string | undefined): void {
  if (applicationId !== world.state.applicationId) throw new DiscordApiError(403, 50001, 'Missing Access');
}

function checkGuild(world: FakeWorld, guildId: string | undefined): string | null {
  if (guildId === undefined) return null;
  if (!world.state.guilds.has(guildId)) throw new DiscordApiError(403, 50001, 'Missing Access');
  return guildId;
}

function readCommand(
  body: Record<string, unknown>,
  path: string,
): Omit<FakeCommand, 'id' | 'applicationId' | 'guildId'> {
  const { name, description, type, options, id: _id, ...extra } = body;
  const commandType = typeof type === 'number' ? type : 1;
  if (typeof name !== 'string' || !NAME.test(name) || (commandType === 1 && name !== name.toLowerCase())) {
    throw invalidField(`${path}name`, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
  if (commandType === 1 && (typeof description !== 'string' || description.length < 1 || description.length > 100)) {
    throw invalidField(`${path}description`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  return {
    name,
    description: typeof description === 'string' ? description : '',
    type: commandType,
    options: Array.isArray(options) ? options : [],
    version: '1',
    extra,
  };
}

function store(world: FakeWorld, guildId: string | null, fields: ReturnType<typeof readCommand>): FakeCommand {
  const existing = world.state.commandsOf(guildId).find((command) => command.name === fields.name);
  const command: FakeCommand = {
    ...fields,
    id: existing?.id ?? world.state.nextId(),
    applicationId: world.state.applicationId,
    guildId,
    version: world.state.nextId(),
  };
  world.state.commands.set(command.id, command);
  world.state.changed();
  return command;
}

function commandRoutes(prefix: string): Route[] {
  const find = (world: FakeWorld, guildId: string | null, commandId: string | undefined) => {
    const command = commandId ? world.state.commands.get(commandId) : undefined;
    if (!command || command.guildId !== guildId) throw notFound.command();
    return command;
  };
  return [
    route('GET', prefix, ({ world, params }) => {
      checkApplication(world, params.applicationId);
      const guildId = checkGuild(world, params.guildId);
      return { status: 200, body: world.state.commandsOf(guildId).map(commandPayload) };
    }),
    route('PUT', prefix, ({ world, params, json }) => {
      checkApplication(world, params.applicationId);
      const guildId = checkGuild(world, params.guildId);
      if (!Array.isArray(json)) throw invalidField('_root', 'BASE_TYPE_ARRAY', 'Must be an array.');
      const list = json;
      const fields = list.map((entry, index) => readCommand(entry as Record<string, unknown>, `${index}.`));
      const names = new Set(fields.map((command) => command.name));
      for (const command of world.state.commandsOf(guildId)) {
        if (!names.has(command.name)) world.state.commands.delete(command.id);
      }
      return { status: 200, body: fields.map((command) => commandPayload(store(world, guildId, command))) };
    }),
    route('POST', prefix, ({ world, params, body }) => {
      checkApplication(world, params.applicationId);
      const guildId = checkGuild(world, params.guildId);
      const existed = world.state.commandsOf(guildId).some((command) => command.name === body.name);
      const command = store(world, guildId, readCommand(body, ''));
      return { status: existed ? 200 : 201, body: commandPayload(command) };
    }),
    route('GET', `${prefix}/:commandId`, ({ world, params }) => {
      checkApplication(world, params.applicationId);
      return { status: 200, body: commandPayload(find(world, checkGuild(world, params.guildId), params.commandId)) };
    }),
    route('PATCH', `${prefix}/:commandId`, ({ world, params, body }) => {
      checkApplication(world, params.applicationId);
      const guildId = checkGuild(world, params.guildId);
      const command = find(world, guildId, params.commandId);
      const merged = readCommand(
        { ...command.extra, name: command.name, description: command.description, options: command.options, ...body },
        '',
      );
      Object.assign(command, merged, { version: world.state.nextId() });
      world.state.changed();
      return { status: 200, body: commandPayload(command) };
    }),
    route('DELETE', `${prefix}/:commandId`, ({ world, params }) => {
      checkApplication(world, params.applicationId);
      const command = find(world, checkGuild(world, params.guildId), params.commandId);
      world.state.commands.delete(command.id);
      world.state.changed();
      return { status: 204 };
    }),
  ];
}

export const applicationCommandRoutes: Route[] = [
  ...commandRoutes('/applications/:applicationId/commands'),
  ...commandRoutes('/applications/:applicationId/guilds/:guildId/commands'),
];
