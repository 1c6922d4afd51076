/**
 * A database shaped like the public Chinook sample (a music shop), for init's tests: two kinds
 * of people where one refers to the other (Customer.SupportRepId -> Employee, and
 * Employee.ReportsTo -> Employee), invoices that belong to customers, catalogue tables with
 * Name and Title columns, a composite-key table (PlaylistTrack), mixed-case names, indexes on
 * the foreign keys as Chinook has them, phones in many formats of which three are no valid
 * number, and customers with no invoice. The people are made up: e-mail addresses under
 * example.com/.org/.net, North American numbers in the fictional 555-01xx range.
 */
import type { Knex } from 'knex';

export const CHINOOK_PEOPLE_TABLES = ['Customer', 'Employee'] as const;
export const CHINOOK_CATALOGUE_TABLES = ['Artist', 'Album', 'Track', 'Genre', 'MediaType', 'Playlist', 'PlaylistTrack'] as const;

/** Sampled Customer.Phone values libphonenumber rejects (a mistyped country code, a trunk 0 kept after the country code). */
export const CHINOOK_INVALID_PHONES = ['+453 3331 9991', '+91 0124 39883988', '+56 (0)2 635 4444'];

const EMPLOYEES = [
  {
    id: 1,
    first: 'Ada',
    last: 'Brooks',
    title: 'General Manager',
    reportsTo: null,
    born: '1962-02-18',
    hired: '2002-08-14',
    city: 'Edmonton',
    state: 'AB',
    postal: 'T5K 2N1',
    phone: '+1 (780) 555-0101',
  },
  {
    id: 2,
    first: 'Noah',
    last: 'Parkes',
    title: 'Sales Manager',
    reportsTo: 1,
    born: '1958-12-08',
    hired: '2002-05-01',
    city: 'Calgary',
    state: 'AB',
    postal: 'T2P 2T3',
    phone: '+1 (403) 555-0102',
  },
  {
    id: 3,
    first: 'Jana',
    last: 'Okafor',
    title: 'Sales Support Agent',
    reportsTo: 2,
    born: '1973-08-29',
    hired: '2002-04-01',
    city: 'Calgary',
    state: 'AB',
    postal: 'T2P 5M5',
    phone: '+1 (403) 555-0103',
  },
  {
    id: 4,
    first: 'Milo',
    last: 'Varga',
    title: 'Sales Support Agent',
    reportsTo: 2,
    born: '1947-09-19',
    hired: '2003-05-03',
    city: 'Calgary',
    state: 'AB',
    postal: 'T2P 5G3',
    phone: '+1 (403) 555-0104',
  },
  {
    id: 5,
    first: 'Rosa',
    last: 'Lindqvist',
    title: 'Sales Support Agent',
    reportsTo: 2,
    born: '1965-03-03',
    hired: '2003-10-17',
    city: 'Calgary',
    state: 'AB',
    postal: 'T3B 1Y7',
    phone: '+1 (403) 555-0105',
  },
  {
    id: 6,
    first: 'Omar',
    last: 'Haddad',
    title: 'IT Manager',
    reportsTo: 1,
    born: '1973-07-01',
    hired: '2003-10-17',
    city: 'Calgary',
    state: 'AB',
    postal: 'T3B 0C5',
    phone: '+1 (403) 555-0106',
  },
];

const CUSTOMERS: {
  first: string;
  last: string;
  company: string | null;
  address: string;
  city: string;
  state: string | null;
  country: string;
  postal: string | null;
  phone: string | null;
  domain: string;
}[] = [
  {
    first: 'Luiza',
    last: 'Gomes',
    company: 'Contoso Aeronáutica S.A.',
    address: 'Av. Brigadeiro Faria Lima, 2170',
    city: 'São José dos Campos',
    state: 'SP',
    country: 'Brazil',
    postal: '12227-000',
    phone: '+55 (12) 3923-5555',
    domain: 'example.com',
  },
  {
    first: 'Lena',
    last: 'Köhler',
    company: null,
    address: 'Theodor-Heuss-Straße 34',
    city: 'Stuttgart',
    state: null,
    country: 'Germany',
    postal: '70174',
    phone: '+49 0711 2842222',
    domain: 'example.org',
  },
  {
    first: 'Fabien',
    last: 'Tremblay',
    company: null,
    address: '1498 rue Bélanger',
    city: 'Montréal',
    state: 'QC',
    country: 'Canada',
    postal: 'H2G 1A7',
    phone: '+1 (514) 555-0111',
    domain: 'example.net',
  },
  {
    first: 'Bjørn',
    last: 'Halvorsen',
    company: null,
    address: 'Ullevålsveien 14',
    city: 'Oslo',
    state: null,
    country: 'Norway',
    postal: '0171',
    phone: '+47 22 44 22 22',
    domain: 'example.com',
  },
  {
    first: 'Tomas',
    last: 'Novak',
    company: 'Fabrikam s.r.o.',
    address: 'Klanova 9/506',
    city: 'Prague',
    state: null,
    country: 'Czech Republic',
    postal: '14700',
    phone: '+420 2 4172 5555',
    domain: 'example.org',
  },
  {
    first: 'Helga',
    last: 'Lindner',
    company: null,
    address: 'Rilská 3174/6',
    city: 'Prague',
    state: null,
    country: 'Czech Republic',
    postal: '14300',
    phone: '+420 2 4177 0449',
    domain: 'example.net',
  },
  {
    first: 'Astrid',
    last: 'Moser',
    company: null,
    address: 'Rotenturmstraße 4, 1010 Innere Stadt',
    city: 'Vienne',
    state: null,
    country: 'Austria',
    postal: '1010',
    phone: '+43 01 5134505',
    domain: 'example.com',
  },
  {
    first: 'Daan',
    last: 'Peeters',
    company: null,
    address: 'Grétrystraat 63',
    city: 'Brussels',
    state: null,
    country: 'Belgium',
    postal: '1000',
    phone: '+32 02 219 03 03',
    domain: 'example.org',
  },
  {
    first: 'Kara',
    last: 'Nielsen',
    company: null,
    address: 'Sønder Boulevard 51',
    city: 'Copenhagen',
    state: null,
    country: 'Denmark',
    postal: '1720',
    phone: CHINOOK_INVALID_PHONES[0]!,
    domain: 'example.net',
  },
  {
    first: 'Eduarda',
    last: 'Martins',
    company: 'Woodgrove Discos',
    address: 'Rua Dr. Falcão Filho, 155',
    city: 'São Paulo',
    state: 'SP',
    country: 'Brazil',
    postal: '01007-010',
    phone: '+55 (11) 3033-5446',
    domain: 'example.com',
  },
  {
    first: 'Alex',
    last: 'Rocha',
    company: 'Tailspin Telecom',
    address: 'Av. Paulista, 2022',
    city: 'São Paulo',
    state: 'SP',
    country: 'Brazil',
    postal: '01310-200',
    phone: '+55 (11) 3055-3278',
    domain: 'example.org',
  },
  {
    first: 'Rita',
    last: 'Fontes',
    company: 'Litware Turismo',
    address: 'Praça Pio X, 119',
    city: 'Rio de Janeiro',
    state: 'RJ',
    country: 'Brazil',
    postal: '20040-020',
    phone: '+55 (21) 2271-7000',
    domain: 'example.net',
  },
  {
    first: 'Fernando',
    last: 'Ramos',
    company: null,
    address: 'Qe 7 Bloco G',
    city: 'Brasília',
    state: 'DF',
    country: 'Brazil',
    postal: '71020-677',
    phone: '+55 (61) 3363-5547',
    domain: 'example.com',
  },
  {
    first: 'Mark',
    last: 'Phillips',
    company: 'Northwind Telecom',
    address: '8210 111 ST NW',
    city: 'Edmonton',
    state: 'AB',
    country: 'Canada',
    postal: 'T6G 2C7',
    phone: '+1 (780) 555-0112',
    domain: 'example.org',
  },
  {
    first: 'Jen',
    last: 'Peterson',
    company: 'Proseware Inc.',
    address: '700 W Pender Street',
    city: 'Vancouver',
    state: 'BC',
    country: 'Canada',
    postal: 'V6C 1G8',
    phone: '+1 (604) 555-0113',
    domain: 'example.net',
  },
  {
    first: 'Frank',
    last: 'Harris',
    company: 'Adventure Works',
    address: '1200 Orchard Parkway',
    city: 'Mountain View',
    state: 'CA',
    country: 'USA',
    postal: '94043-1351',
    phone: '+1 (650) 555-0114',
    domain: 'example.com',
  },
  {
    first: 'Jack',
    last: 'Smith',
    company: 'Margie Travel',
    address: '17 Cedar Lane',
    city: 'Redmond',
    state: 'WA',
    country: 'USA',
    postal: '98052-8300',
    phone: '+1 (425) 555-0115',
    domain: 'example.org',
  },
  {
    first: 'Michelle',
    last: 'Brooks',
    company: null,
    address: '627 Broadway',
    city: 'New York',
    state: 'NY',
    country: 'USA',
    postal: '10012-2612',
    phone: '+1 (212) 555-0116',
    domain: 'example.net',
  },
  {
    first: 'Tim',
    last: 'Goyer',
    company: 'Fourth Coffee',
    address: '9 Harbor Loop',
    city: 'Cupertino',
    state: 'CA',
    country: 'USA',
    postal: '95014',
    phone: '+1 (408) 555-0117',
    domain: 'example.com',
  },
  {
    first: 'Dan',
    last: 'Miller',
    company: null,
    address: '541 Del Medio Avenue',
    city: 'Mountain View',
    state: 'CA',
    country: 'USA',
    postal: '94040-111',
    phone: '+1 (650) 555-0118',
    domain: 'example.org',
  },
  {
    first: 'Manoj',
    last: 'Pareek',
    company: null,
    address: '12,Community Centre',
    city: 'Delhi',
    state: null,
    country: 'India',
    postal: '110017',
    phone: CHINOOK_INVALID_PHONES[1]!,
    domain: 'example.net',
  },
  {
    first: 'Luis',
    last: 'Rojas',
    company: null,
    address: 'Calle Lira, 198',
    city: 'Santiago',
    state: null,
    country: 'Chile',
    postal: null,
    phone: CHINOOK_INVALID_PHONES[2]!,
    domain: 'example.com',
  },
  {
    first: 'Hugh',
    last: "O'Reilly",
    company: null,
    address: '3 Chatham Street',
    city: 'Dublin',
    state: 'Dublin',
    country: 'Ireland',
    postal: null,
    phone: '+353 01 6792425',
    domain: 'example.org',
  },
  {
    first: 'Phil',
    last: 'Hughes',
    company: null,
    address: '113 Lupus St',
    city: 'London',
    state: null,
    country: 'United Kingdom',
    postal: 'SW1V 3EN',
    phone: '+44 020 7976 5722',
    domain: 'example.net',
  },
];

const ARTISTS = ['AC/DC', 'Accept', 'Aerosmith', 'Alanis Morissette', 'Alice In Chains', 'Antônio Carlos Jobim', 'Apocalyptica', 'Audioslave'];
const ALBUMS: [string, number][] = [
  ['For Those About To Rock We Salute You', 1],
  ['Balls to the Wall', 2],
  ['Restless and Wild', 2],
  ['Let There Be Rock', 1],
  ['Big Ones', 3],
  ['Jagged Little Pill', 4],
  ['Facelift', 5],
  ['Warner 25 Anos', 6],
  ['Plays Metallica By Four Cellos', 7],
  ['Audioslave', 8],
];
const TRACKS: [string, number, string | null][] = [
  ['For Those About To Rock (We Salute You)', 1, 'Angus Young, Malcolm Young, Brian Johnson'],
  ['Balls to the Wall', 2, null],
  ['Fast As a Shark', 3, 'F. Baltes, S. Kaufman, U. Dirkscneider & W. Hoffman'],
  ['Restless and Wild', 3, 'F. Baltes, R.A. Smith-Diesel, S. Kaufman, U. Dirkscneider & W. Hoffman'],
  ['Princess of the Dawn', 3, 'Deaffy & R.A. Smith-Diesel'],
  ['Put The Finger On You', 1, 'Angus Young, Malcolm Young, Brian Johnson'],
  ["Let's Get It Up", 1, 'Angus Young, Malcolm Young, Brian Johnson'],
  ['Inject The Venom', 1, 'Angus Young, Malcolm Young, Brian Johnson'],
  ['Go Down', 4, 'AC/DC'],
  ['Dog Eat Dog', 4, 'AC/DC'],
  ['Whole Lotta Rosie', 4, 'AC/DC'],
  ['Walk On Water', 5, 'Steven Tyler, Joe Perry, Jack Blades, Tommy Shaw'],
  ['Love In An Elevator', 5, 'Steven Tyler, Joe Perry'],
  ["Janie's Got A Gun", 5, 'Steven Tyler, Tom Hamilton'],
  ["Cryin'", 5, 'Steven Tyler, Joe Perry, Taylor Rhodes'],
  ['All I Really Want', 6, 'Alanis Morissette & Glenn Ballard'],
  ['You Oughta Know', 6, 'Alanis Morissette & Glenn Ballard'],
  ['Hand In My Pocket', 6, 'Alanis Morissette & Glenn Ballard'],
  ['Ironic', 6, 'Alanis Morissette & Glenn Ballard'],
  ['We Die Young', 7, 'Jerry Cantrell'],
  ['Man In The Box', 7, 'Jerry Cantrell, Layne Staley'],
  ['Sea Of Sorrow', 7, 'Jerry Cantrell'],
  ['Desafinado', 8, null],
  ['Garota De Ipanema', 8, null],
  ['Enter Sandman', 9, 'Apocalyptica'],
  ['Master Of Puppets', 9, 'Apocalyptica'],
  ['Cochise', 10, 'Audioslave/Chris Cornell'],
  ['Show Me How to Live', 10, 'Audioslave/Chris Cornell'],
  ['Like a Stone', 10, 'Audioslave/Chris Cornell'],
];
const GENRES = ['Rock', 'Jazz', 'Metal', 'Alternative & Punk', 'Rock And Roll', 'Blues', 'Latin', 'Bossa Nova'];
const MEDIA_TYPES = ['MPEG audio file', 'Protected AAC audio file', 'Protected MPEG-4 video file', 'Purchased AAC audio file', 'AAC audio file'];
const PLAYLISTS = ['Music', 'Movies', 'TV Shows', 'Audiobooks', "90's Music", 'Grunge', 'Brazilian Music', 'Heavy Metal Classic'];

/** Creates and fills the Chinook-shaped tables in an empty database. */
export async function createChinook(knex: Knex): Promise<void> {
  await knex.schema.createTable('Employee', (t) => {
    t.integer('EmployeeId').primary();
    t.string('LastName', 20).notNullable();
    t.string('FirstName', 20).notNullable();
    t.string('Title', 30);
    t.integer('ReportsTo').references('EmployeeId').inTable('Employee');
    t.datetime('BirthDate');
    t.datetime('HireDate');
    t.string('Address', 70);
    t.string('City', 40);
    t.string('State', 40);
    t.string('Country', 40);
    t.string('PostalCode', 10);
    t.string('Phone', 24);
    t.string('Fax', 24);
    t.string('Email', 60);
  });
  await knex.schema.createTable('Customer', (t) => {
    t.integer('CustomerId').primary();
    t.string('FirstName', 40).notNullable();
    t.string('LastName', 20).notNullable();
    t.string('Company', 80);
    t.string('Address', 70);
    t.string('City', 40);
    t.string('State', 40);
    t.string('Country', 40);
    t.string('PostalCode', 10);
    t.string('Phone', 24);
    t.string('Fax', 24);
    t.string('Email', 60).notNullable();
    t.integer('SupportRepId').references('EmployeeId').inTable('Employee');
  });
  await knex.schema.createTable('Invoice', (t) => {
    t.integer('InvoiceId').primary();
    t.integer('CustomerId').notNullable().references('CustomerId').inTable('Customer');
    t.datetime('InvoiceDate').notNullable();
    t.string('BillingAddress', 70);
    t.string('BillingCity', 40);
    t.string('BillingState', 40);
    t.string('BillingCountry', 40);
    t.string('BillingPostalCode', 10);
    t.decimal('Total', 10, 2).notNullable();
  });
  await knex.schema.createTable('Artist', (t) => {
    t.integer('ArtistId').primary();
    t.string('Name', 120);
  });
  await knex.schema.createTable('Album', (t) => {
    t.integer('AlbumId').primary();
    t.string('Title', 160).notNullable();
    t.integer('ArtistId').notNullable().references('ArtistId').inTable('Artist');
  });
  await knex.schema.createTable('Genre', (t) => {
    t.integer('GenreId').primary();
    t.string('Name', 120);
  });
  await knex.schema.createTable('MediaType', (t) => {
    t.integer('MediaTypeId').primary();
    t.string('Name', 120);
  });
  await knex.schema.createTable('Track', (t) => {
    t.integer('TrackId').primary();
    t.string('Name', 200).notNullable();
    t.integer('AlbumId').references('AlbumId').inTable('Album');
    t.integer('MediaTypeId').notNullable().references('MediaTypeId').inTable('MediaType');
    t.integer('GenreId').references('GenreId').inTable('Genre');
    t.string('Composer', 220);
    t.integer('Milliseconds').notNullable();
    t.integer('Bytes');
    t.decimal('UnitPrice', 10, 2).notNullable();
  });
  await knex.schema.createTable('InvoiceLine', (t) => {
    t.integer('InvoiceLineId').primary();
    t.integer('InvoiceId').notNullable().references('InvoiceId').inTable('Invoice');
    t.integer('TrackId').notNullable().references('TrackId').inTable('Track');
    t.decimal('UnitPrice', 10, 2).notNullable();
    t.integer('Quantity').notNullable();
  });
  await knex.schema.createTable('Playlist', (t) => {
    t.integer('PlaylistId').primary();
    t.string('Name', 120);
  });
  await knex.schema.createTable('PlaylistTrack', (t) => {
    t.integer('PlaylistId').notNullable().references('PlaylistId').inTable('Playlist');
    t.integer('TrackId').notNullable().references('TrackId').inTable('Track');
    t.primary(['PlaylistId', 'TrackId']);
  });
  // Chinook indexes every foreign key.
  const indexes: [string, string, string][] = [
    ['Employee', 'ReportsTo', 'IFK_EmployeeReportsTo'],
    ['Customer', 'SupportRepId', 'IFK_CustomerSupportRepId'],
    ['Invoice', 'CustomerId', 'IFK_InvoiceCustomerId'],
    ['Album', 'ArtistId', 'IFK_AlbumArtistId'],
    ['Track', 'AlbumId', 'IFK_TrackAlbumId'],
    ['Track', 'GenreId', 'IFK_TrackGenreId'],
    ['Track', 'MediaTypeId', 'IFK_TrackMediaTypeId'],
    ['InvoiceLine', 'InvoiceId', 'IFK_InvoiceLineInvoiceId'],
    ['InvoiceLine', 'TrackId', 'IFK_InvoiceLineTrackId'],
    ['PlaylistTrack', 'TrackId', 'IFK_PlaylistTrackTrackId'],
  ];
  for (const [table, column, name] of indexes) await knex.schema.alterTable(table, (t) => t.index([column], name));

  const mail = (first: string, last: string, domain: string) =>
    `${first}.${last}`
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/[^A-Za-z.]/g, '')
      .toLowerCase() + `@${domain}`;
  await knex('Employee').insert(
    EMPLOYEES.map((e) => ({
      EmployeeId: e.id,
      LastName: e.last,
      FirstName: e.first,
      Title: e.title,
      ReportsTo: e.reportsTo,
      BirthDate: new Date(`${e.born}T00:00:00Z`),
      HireDate: new Date(`${e.hired}T00:00:00Z`),
      Address: `${100 + e.id * 7} 11 Ave SW`,
      City: e.city,
      State: e.state,
      Country: 'Canada',
      PostalCode: e.postal,
      Phone: e.phone,
      Fax: e.phone.replace(/01(\d\d)$/, '02$1'),
      Email: mail(e.first, e.last, 'example.com'),
    })),
  );
  await knex('Customer').insert(
    CUSTOMERS.map((c, i) => ({
      CustomerId: i + 1,
      FirstName: c.first,
      LastName: c.last,
      Company: c.company,
      Address: c.address,
      City: c.city,
      State: c.state,
      Country: c.country,
      PostalCode: c.postal,
      Phone: c.phone,
      Fax: c.company ? c.phone : null,
      Email: mail(c.first, c.last, c.domain),
      SupportRepId: 3 + (i % 3),
    })),
  );
  await knex('Artist').insert(ARTISTS.map((name, i) => ({ ArtistId: i + 1, Name: name })));
  await knex('Album').insert(ALBUMS.map(([title, artist], i) => ({ AlbumId: i + 1, Title: title, ArtistId: artist })));
  await knex('Genre').insert(GENRES.map((name, i) => ({ GenreId: i + 1, Name: name })));
  await knex('MediaType').insert(MEDIA_TYPES.map((name, i) => ({ MediaTypeId: i + 1, Name: name })));
  await knex('Track').insert(
    TRACKS.map(([name, album, composer], i) => ({
      TrackId: i + 1,
      Name: name,
      AlbumId: album,
      MediaTypeId: 1 + (i % 2),
      GenreId: 1 + (i % GENRES.length),
      Composer: composer,
      Milliseconds: 200_000 + i * 7_919,
      Bytes: 6_000_000 + i * 104_729,
      UnitPrice: '0.99',
    })),
  );
  await knex('Playlist').insert(PLAYLISTS.map((name, i) => ({ PlaylistId: i + 1, Name: name })));
  await knex('PlaylistTrack').insert(
    TRACKS.flatMap((_, i) => [{ PlaylistId: 1, TrackId: i + 1 }, ...(i % 3 === 0 ? [{ PlaylistId: 8, TrackId: i + 1 }] : [])]),
  );

  // Customers 1 to 18 have invoices; the last ones have none yet.
  const invoices = CUSTOMERS.slice(0, 18).flatMap((c, i) => [0, 1].map((n) => ({ customer: i + 1, c, n })));
  await knex('Invoice').insert(
    invoices.map(({ customer, c, n }, i) => ({
      InvoiceId: i + 1,
      CustomerId: customer,
      InvoiceDate: new Date(Date.UTC(2021, (customer + n * 5) % 12, 1 + ((customer * 3) % 27))),
      BillingAddress: c.address,
      BillingCity: c.city,
      BillingState: c.state,
      BillingCountry: c.country,
      BillingPostalCode: c.postal,
      Total: '1.98',
    })),
  );
  await knex('InvoiceLine').insert(
    invoices.flatMap((_, i) =>
      [0, 1].map((n) => ({ InvoiceLineId: i * 2 + n + 1, InvoiceId: i + 1, TrackId: 1 + ((i * 2 + n) % TRACKS.length), UnitPrice: '0.99', Quantity: 1 })),
    ),
  );
}
