// The generated module must say exactly what the CSVs say: this is the one test allowed to read files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COORDINATOR_PUBLISH_COLUMNS,
  COORDINATOR_PUBLISH_ROWS,
  COORDINATOR_TRIAGE_COLUMNS,
  COORDINATOR_TRIAGE_ROWS,
} from '../../../functions/domain/triage/index.js';
import { parseCsv, PUBLISH_CSV, renderSsvcTablesModule, TRIAGE_CSV } from '../../../scripts/generate-ssvc-tables.js';

const dataDir = new URL('../../../functions/domain/triage/data/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dataDir), 'utf8');

describe('the generated SSVC tables', () => {
  it('match coordinator_triage_1_0_0.csv row for row', () => {
    // Prepare
    const [header, ...rows] = parseCsv(read(TRIAGE_CSV));

    // Assess
    expect(header).toEqual(['row', ...COORDINATOR_TRIAGE_COLUMNS]);
    expect(rows).toHaveLength(192);
    expect(COORDINATOR_TRIAGE_ROWS).toHaveLength(rows.length);
    rows.forEach((fields, index) => {
      expect(fields).toEqual([String(index), ...(COORDINATOR_TRIAGE_ROWS[index] ?? [])]);
    });
  });

  it('match coordinator_publish_1_0_0.csv row for row', () => {
    const [header, ...rows] = parseCsv(read(PUBLISH_CSV));

    expect(header).toEqual(['row', ...COORDINATOR_PUBLISH_COLUMNS]);
    expect(rows).toHaveLength(27);
    expect(COORDINATOR_PUBLISH_ROWS).toHaveLength(rows.length);
    rows.forEach((fields, index) => {
      expect(fields).toEqual([String(index), ...(COORDINATOR_PUBLISH_ROWS[index] ?? [])]);
    });
  });

  it('are exactly what scripts/generate-ssvc-tables.ts writes, so nobody edited the module by hand', () => {
    const generated = renderSsvcTablesModule(read(TRIAGE_CSV), read(PUBLISH_CSV));

    expect(readFileSync(new URL('../ssvc-tables.ts', dataDir), 'utf8')).toBe(generated);
  });

  it('reads the quoted outcome header of the CSV as one column', () => {
    expect(parseCsv('row,"Decline, Track, Coordinate v1.0.1"\n0,decline\n')).toEqual([
      ['row', 'Decline, Track, Coordinate v1.0.1'],
      ['0', 'decline'],
    ]);
  });
});
