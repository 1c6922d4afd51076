import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readDataMap } from '../../../src/config/load.js';
import { checkMapAgainstSchema } from '../../../src/core/check-map.js';
import { dialectFor } from '../../../src/db/connect.js';
import { draftDataMap, type Draft, type DraftTable } from '../../../src/init/draft.js';
import { renderDraft } from '../../../src/init/render.js';
import { describeEachDatabase, type TestDatabase } from '../../support/databases.js';
import { CHINOOK_CATALOGUE_TABLES, CHINOOK_INVALID_PHONES, createChinook } from './chinook.js';

const KEY = 'a-test-key-of-more-than-thirty-two-characters';

describeEachDatabase('init on a schema shaped like Chinook (customers, their support agents, a music catalogue)', (target) => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await target.create();
    await createChinook(database.knex);
    dir = await mkdtemp(path.join(os.tmpdir(), 'lethe-init-chinook-'));
  });
  afterAll(async () => {
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const table = (draft: Draft, name: string): DraftTable => draft.tables.find((t) => t.name === name)!;
  const column = (draft: Draft, name: string) => {
    const [tableName, columnName] = name.split('.') as [string, string];
    return table(draft, tableName).columns.find((c) => c.name === columnName)!;
  };

  for (const sampleSize of [100, 0]) {
    const sampled = sampleSize === 0 ? ' (--sample 0: by names only)' : '';

    it(`proposes both tables of people as subjects, with their identifiers and names${sampled}`, async () => {
      const { draft } = await draftDataMap(database.knex, dialectFor(target.client), { sampleSize });
      expect(draft.subjects.map((s) => [s.name, s.table])).toEqual([
        ['customer', 'Customer'],
        ['employee', 'Employee'],
      ]);
      expect(draft.subject.table).toBe('Customer');
      for (const [subject, key] of [
        [draft.subjects[0]!, 'CustomerId'],
        [draft.subjects[1]!, 'EmployeeId'],
      ] as const) {
        expect(subject.identifiers).toEqual(
          expect.arrayContaining([
            { name: 'id', column: key, type: 'id' },
            { name: 'email', column: 'Email', type: 'email' },
            { name: 'phone', column: 'Phone', type: 'phone' },
          ]),
        );
        expect([...subject.nameColumns].sort()).toEqual(['FirstName', 'LastName']);
      }
      // The one-line summary names the second subject too.
      expect(draft.subject.reason).toMatch(/another subject: Employee \(found by EmployeeId, /);
    });

    it(`links a customer to their support agent and an employee to their manager by reference, never by ownership${sampled}`, async () => {
      const { draft } = await draftDataMap(database.knex, dialectFor(target.client), { sampleSize });
      expect(table(draft, 'Customer')).toMatchObject({ belongsTo: [], references: [{ parent: 'Employee', column: 'SupportRepId' }] });
      expect(table(draft, 'Employee')).toMatchObject({ belongsTo: [], references: [{ parent: 'Employee', column: 'ReportsTo' }] });
      // A customer's invoices are theirs; a line of one points at a track of the catalogue, which it does not belong to.
      expect(table(draft, 'Invoice')).toMatchObject({ belongsTo: [{ parent: 'Customer', column: 'CustomerId' }], references: [] });
      expect(table(draft, 'InvoiceLine')).toMatchObject({ belongsTo: [{ parent: 'Invoice', column: 'InvoiceId' }], references: [] });
      expect(draft.tables.map((t) => t.name).slice(0, 4)).toEqual(['Customer', 'Employee', 'Invoice', 'InvoiceLine']);
    });

    it(`marks the catalogue impersonal, the composite-key table too, and keeps its names, titles and composers${sampled}`, async () => {
      const { draft } = await draftDataMap(database.knex, dialectFor(target.client), { sampleSize });
      expect(draft.skipped).toEqual([]);
      const impersonal = draft.tables.filter((t) => t.impersonal !== undefined).map((t) => t.name);
      expect(impersonal.sort()).toEqual([...CHINOOK_CATALOGUE_TABLES].sort());
      for (const name of impersonal) {
        const drafted = table(draft, name);
        expect(drafted.impersonal, name).toMatch(/no column holds personal data.* and no person owns its rows/);
        expect(drafted.belongsTo, name).toEqual([]);
        expect(
          drafted.columns.filter((c) => c.personal).map((c) => c.name),
          name,
        ).toEqual([]);
      }
      expect(table(draft, 'PlaylistTrack').primaryKey).toEqual(['PlaylistId', 'TrackId']);
      for (const name of ['Artist.Name', 'Album.Title', 'Track.Name', 'Genre.Name', 'Playlist.Name', 'MediaType.Name', 'Track.Composer']) {
        expect(column(draft, name), name).toMatchObject({ personal: false, strategy: 'keep' });
      }
      expect(table(draft, 'Track').impersonal).toMatch(/\(Name names things[;)]/);
      expect(table(draft, 'Album').impersonal).toMatch(/\(Title names things\)/);
    });

    it(`takes a person's company, region, country, postcode, city and dates of birth and hire for personal, with a proposal that fits${sampled}`, async () => {
      const { draft } = await draftDataMap(database.knex, dialectFor(target.client), { sampleSize });
      for (const name of ['Customer.Company', 'Employee.Title']) {
        expect(column(draft, name), name).toMatchObject({ personal: true, category: 'employment', strategy: null });
      }
      for (const name of ['Customer.PostalCode', 'Customer.City', 'Employee.PostalCode', 'Invoice.BillingPostalCode', 'Invoice.BillingCity']) {
        expect(column(draft, name), name).toMatchObject({ personal: true, category: 'contact.address', strategy: null });
      }
      for (const name of ['Customer.State', 'Customer.Country', 'Employee.State', 'Employee.Country', 'Invoice.BillingState', 'Invoice.BillingCountry']) {
        const drafted = column(draft, name);
        expect(drafted, name).toMatchObject({ personal: true, category: 'contact.address', strategy: 'keep' });
        // Kept, and the comment says why.
        expect(drafted.comment, name).toMatch(/kept on purpose: .* shared by many people/);
      }
      expect(column(draft, 'Employee.BirthDate')).toMatchObject({ personal: true, category: 'demographic', strategy: { generalize: 'year' } });
      expect(column(draft, 'Employee.HireDate')).toMatchObject({ personal: true, category: 'employment', strategy: { generalize: 'year' } });
      // Not a person's: the invoice's own figures and date.
      for (const name of ['Invoice.Total', 'Invoice.InvoiceDate', 'InvoiceLine.UnitPrice']) expect(column(draft, name).personal, name).toBe(false);
    });

    it(`writes a map that loads and checks without a problem or a warning${sampled}`, async () => {
      const { draft, schema } = await draftDataMap(database.knex, dialectFor(target.client), { sampleSize });
      const file = path.join(dir, `lethe-${sampleSize}.yml`);
      const text = renderDraft(draft, { client: target.client, connection: database.connection, out: file, generatedAt: new Date() });
      await writeFile(file, text);
      expect(text).toMatch(/^ {4}references: \{ Employee: SupportRepId \}$/m);
      expect(text).toMatch(/^ {2}PlaylistTrack:\n {4}impersonal: /m);
      const { map, problems } = await readDataMap(file, { LETHE_KEY: KEY });
      expect(problems).toEqual([]);
      const check = checkMapAgainstSchema(map!, schema);
      expect(check.problems).toEqual([]);
      expect(check.warnings).toEqual([]);
      // Every table of the database is mapped or marked impersonal: check --strict has nothing to report.
      expect([...schema.keys()].filter((name) => !map!.tables.has(name))).toEqual([]);
    });
  }

  it('reports the sampled phones libphonenumber rejects, without quoting one', async () => {
    const { draft } = await draftDataMap(database.knex, dialectFor(target.client));
    expect(draft.notices).toEqual(['3 of 24 sampled Customer.Phone values are not valid phone numbers (they are still found by their digits)']);
    expect(draft.subject.reason).toContain(draft.notices[0]);
    const text = renderDraft(draft, { client: target.client, connection: database.connection, out: path.join(dir, 'lethe.yml'), generatedAt: new Date() });
    expect(text).toContain(`# ${draft.notices[0]}`);
    for (const phone of CHINOOK_INVALID_PHONES) expect(text).not.toContain(phone);
  });
});
