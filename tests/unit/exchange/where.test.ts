import { describe, expect, it } from 'vitest';
import { whereToScope } from '../../../src/core/exchange/where';

describe('--where conditions for an export', () => {
  it('applies a condition to every table that has the field, and leaves out tables that do not', () => {
    expect(whereToScope(['admin1=Kunar', 'date>=2022-01', 'date<=2022-12'])).toEqual({
      incidents: {
        columns: {
          admin1: { type: 'text', op: 'equals', value: 'Kunar' },
          date: { type: 'date', from: '2022-01', to: '2022-12' },
        },
        search: '',
      },
    });
    expect(Object.keys(whereToScope(['country=Iran'])).sort()).toEqual(['figures', 'incidents', 'plots']);
  });

  it('reads numbers, enums, contains, quotes and table prefixes', () => {
    expect(whereToScope(['incidents.fatalities >= 10', "plots.stage='arrested'", 'sources.title~"Amaq"'])).toEqual({
      incidents: { columns: { fatalities: { type: 'number', min: 10, max: null } }, search: '' },
      plots: { columns: { stage: { type: 'set', values: ['arrested'] } }, search: '' },
      sources: { columns: { title: { type: 'text', op: 'contains', value: 'Amaq' } }, search: '' },
    });
  });

  it('shares the table export’s grammar (any of several values)', () => {
    expect(whereToScope(['admin1=Fars|Kerman'])).toEqual({
      incidents: { columns: { admin1: { type: 'set', values: ['Fars', 'Kerman'] } }, search: '' },
      figures: { columns: { admin1: { type: 'set', values: ['Fars', 'Kerman'] } }, search: '' },
    });
  });

  it('says what is wrong', () => {
    expect(() => whereToScope(['admin1 != Kunar'])).toThrow(/not equal" is not supported/);
    expect(() => whereToScope(['spaceship.x=1'])).toThrow(/no table "spaceship"/);
    expect(() => whereToScope(['plots.admin1=Kunar'])).toThrow(/plots has no field "admin1"/);
    expect(() => whereToScope(['plots.stage=launched'])).toThrow(/not one of planning/);
    expect(() => whereToScope(['admin1=Kunar', 'stage=arrested'])).toThrow(/no table has all of admin1, stage/);
    expect(() => whereToScope(['just words'])).toThrow(/is not a condition/);
  });
});
