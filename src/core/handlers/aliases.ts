import type { aliasesChannels } from '../../shared/channels/aliases';
import { acceptNames, addAlias, addStarter, listAliases, rejectNames, removeAlias } from '../aliases/store';
import { aliasSuggestions } from '../aliases/suggest';
import type { Session } from '../session';
import type { AreaHandlers } from './types';

/** Handlers of the aliases: every write goes through the case file (logged, undoable, merged). */
export function aliasesHandlers(s: Session): AreaHandlers<typeof aliasesChannels> {
  const db = () => s.caseFile.db;
  return {
    'aliases.list': ({ kind }) => listAliases(db(), kind),
    'aliases.add': (o) => addAlias(s.caseFile, o),
    'aliases.remove': ({ id }) => {
      removeAlias(s.caseFile, id);
      return { ok: true as const };
    },
    'aliases.starter': () => addStarter(s.caseFile),
    'aliases.suggestions': ({ limit }) => aliasSuggestions(db(), limit),
    'aliases.accept': ({ kind, entity, names }) => acceptNames(s.caseFile, kind, entity, names),
    'aliases.reject': ({ kind, names }) => {
      rejectNames(s.caseFile, kind, names);
      return { ok: true as const };
    },
  };
}
