/**
 * Schema version 3: covering indexes for the dashboard's group-bys and the grid's common sorts,
 * so that an aggregate over a million incidents reads an index instead of the table, and a
 * sorted page or a filtered count seeks instead of scanning.
 */
export const migration003 = `
CREATE INDEX incidents_dash_admin1 ON incidents (admin1, country, fatalities);
CREATE INDEX incidents_dash_country ON incidents (country, date, fatalities);
CREATE INDEX incidents_dash_event ON incidents (event_type, sub_event_type, fatalities);
CREATE INDEX incidents_dash_actor ON incidents (actor1, fatalities);
CREATE INDEX incidents_dash_time ON incidents (date, event_type, fatalities);
CREATE INDEX incidents_dash_geo ON incidents (longitude, latitude, fatalities);
CREATE INDEX incidents_dash_abroad ON incidents (country, date, fatalities)
  WHERE instr(';' || replace(lower(coalesce(tags, '')), ' ', '') || ';', ';abroad;') > 0;

-- The grid: one-column indexes deliver (column, rowid), the keyset order of a one-column sort;
-- the covering index serves the common three-filter view (event type, province, period).
CREATE INDEX incidents_event_type ON incidents (event_type);
CREATE INDEX incidents_country ON incidents (country);
CREATE INDEX incidents_admin1 ON incidents (admin1);
CREATE INDEX incidents_actor1 ON incidents (actor1);
CREATE INDEX incidents_fatalities ON incidents (fatalities);
CREATE INDEX incidents_type_admin1_date ON incidents (event_type, admin1, date);
`;
