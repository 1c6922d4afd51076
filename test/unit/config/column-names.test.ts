import { describe, expect, it } from 'vitest';
import { nameTokens, PERSONAL_KINDS, readColumnName, type PersonalKind } from '../../../src/config/column-names.js';

function kindOf(column: string, table?: string): PersonalKind | undefined {
  return readColumnName(column, table).match?.kind;
}

describe('nameTokens', () => {
  it('splits snake, kebab and camel case, and digits', () => {
    expect(nameTokens('CustomerEmail')).toEqual(['customer', 'email']);
    expect(nameTokens('email_address')).toEqual(['email', 'address']);
    expect(nameTokens('contact-phone-2')).toEqual(['contact', 'phone', '2']);
    expect(nameTokens('IPAddress')).toEqual(['ip', 'address']);
    expect(nameTokens('userID')).toEqual(['user', 'id']);
    expect(nameTokens('address1')).toEqual(['address', '1']);
    expect(nameTokens('ipv4')).toEqual(['ipv', '4']);
  });

  it('folds case and accents, and ß to ss', () => {
    expect(nameTokens('Straße')).toEqual(['strasse']);
    expect(nameTokens('TÉLÉPHONE')).toEqual(['telephone']);
    expect(nameTokens('Città')).toEqual(['citta']);
    expect(nameTokens('Staatsangehörigkeit')).toEqual(['staatsangehorigkeit']);
  });
});

describe('readColumnName', () => {
  it.each<[string, PersonalKind]>([
    ['CustomerEmail', 'email'],
    ['email_address', 'email'],
    ['e_mail', 'email'],
    ['E-Mail-Adresse', 'email'],
    ['emails', 'email'],
    ['contact_phone_2', 'phone'],
    ['phoneNumber', 'phone'],
    ['Straße', 'address'],
    ['STRASSE', 'address'],
    ['billing_zip', 'postcode'],
    ['postal_code', 'postcode'],
    ['shipping_address', 'address'],
    ['street_name', 'address'],
    ['city_name', 'city'],
    ['first_name', 'first_name'],
    ['firstName', 'first_name'],
    ['surname', 'last_name'],
    ['full_name', 'full_name'],
    ['display_name', 'full_name'],
    ['shipping_name', 'full_name'],
    ['contact_name', 'full_name'],
    ['birth_date', 'birth_date'],
    ['date_of_birth', 'birth_date'],
    ['DOB', 'birth_date'],
    ['birth_year', 'birth_year'],
    ['year_of_birth', 'birth_year'],
    ['place_of_birth', 'birth_place'],
    ['iban', 'iban'],
    ['card_number', 'card_number'],
    ['bank_account_number', 'account_number'],
    ['ip_address', 'ip_address'],
    ['IPAddress', 'ip_address'],
    ['last_login_ip', 'ip_address'],
    ['remote_addr', 'ip_address'],
    ['userAgent', 'user_agent'],
    ['device_id', 'device_id'],
    ['session_id', 'session_id'],
    ['mac_address', 'mac_address'],
    ['ssn', 'national_id'],
    ['passport_number', 'national_id'],
    ['passport_id', 'national_id'],
    ['tax_id', 'national_id'],
    ['gender', 'gender'],
    ['nationality', 'nationality'],
    ['latitude', 'coordinate'],
    ['lng', 'coordinate'],
    ['geo', 'geolocation'],
    ['notes', 'free_text'],
    ['comment', 'free_text'],
    ['body', 'free_text'],
    ['bio', 'free_text'],
    ['remarks', 'free_text'],
    ['email_body', 'free_text'],
    ['avatar_url', 'photo'],
    ['username', 'username'],
  ])('%s is %s', (column, kind) => {
    expect(kindOf(column, 'customers')).toBe(kind);
  });

  it.each<[string, string, PersonalKind]>([
    // French
    ['fr', 'courriel', 'email'],
    ['fr', 'adresse_mail', 'email'],
    ['fr', 'telephone_portable', 'phone'],
    ['fr', 'prenom', 'first_name'],
    ['fr', 'nom', 'last_name'],
    ['fr', 'nom_de_famille', 'last_name'],
    ['fr', 'rue', 'address'],
    ['fr', 'code_postal', 'postcode'],
    ['fr', 'ville', 'city'],
    ['fr', 'date_de_naissance', 'birth_date'],
    ['fr', 'lieu_de_naissance', 'birth_place'],
    ['fr', 'numero_securite_sociale', 'national_id'],
    ['fr', 'nir', 'national_id'],
    ['fr', 'commentaire', 'free_text'],
    // German
    ['de', 'E-Mail', 'email'],
    ['de', 'Telefonnummer', 'phone'],
    ['de', 'Handy', 'phone'],
    ['de', 'Vorname', 'first_name'],
    ['de', 'Nachname', 'last_name'],
    ['de', 'Straße', 'address'],
    ['de', 'Hausnummer', 'address'],
    ['de', 'PLZ', 'postcode'],
    ['de', 'Ort', 'city'],
    ['de', 'Stadt', 'city'],
    ['de', 'Geburtsdatum', 'birth_date'],
    ['de', 'Geschlecht', 'gender'],
    ['de', 'Staatsangehörigkeit', 'nationality'],
    ['de', 'Staatsangehoerigkeit', 'nationality'],
    ['de', 'Steuernummer', 'national_id'],
    ['de', 'Bemerkung', 'free_text'],
    // Spanish
    ['es', 'correo', 'email'],
    ['es', 'correo_electronico', 'email'],
    ['es', 'telefono', 'phone'],
    ['es', 'movil', 'phone'],
    ['es', 'apellido', 'last_name'],
    ['es', 'apellidos', 'last_name'],
    ['es', 'calle', 'address'],
    ['es', 'direccion', 'address'],
    ['es', 'cp', 'postcode'],
    ['es', 'ciudad', 'city'],
    ['es', 'fecha_nacimiento', 'birth_date'],
    ['es', 'dni', 'national_id'],
    ['es', 'nie', 'national_id'],
    // Italian
    ['it', 'telefono_cellulare', 'phone'],
    ['it', 'cognome', 'last_name'],
    ['it', 'indirizzo', 'address'],
    ['it', 'Città', 'city'],
    ['it', 'data_di_nascita', 'birth_date'],
    ['it', 'codice_fiscale', 'national_id'],
    ['it', 'sesso', 'gender'],
    // Dutch
    ['nl', 'telefoon', 'phone'],
    ['nl', 'voornaam', 'first_name'],
    ['nl', 'achternaam', 'last_name'],
    ['nl', 'straat', 'address'],
    ['nl', 'huisnummer', 'address'],
    ['nl', 'woonplaats', 'city'],
    ['nl', 'geboortedatum', 'birth_date'],
    ['nl', 'bsn', 'national_id'],
    ['nl', 'opmerking', 'free_text'],
    // Portuguese
    ['pt', 'telefone', 'phone'],
    ['pt', 'celular', 'phone'],
    ['pt', 'sobrenome', 'last_name'],
    ['pt', 'endereco', 'address'],
    ['pt', 'cep', 'postcode'],
    ['pt', 'cidade', 'city'],
    ['pt', 'data_nascimento', 'birth_date'],
    ['pt', 'cpf', 'national_id'],
  ])('%s: %s is %s', (_lang, column, kind) => {
    expect(kindOf(column, 'clientes')).toBe(kind);
  });

  it.each([
    'emailed_at',
    'mail_count',
    'email_verified',
    'emailVerifiedAt',
    'email_sent_at',
    'tel_verified',
    'is_phone_verified',
    'has_email',
    'num_emails',
    'phone_type',
    'phone_country_code',
    'name_id',
    'address_id',
    'message_id',
    'product_name',
    'file_name',
    'filename',
    'hostname',
    'company_name',
    'table_name',
    'topic_name',
    'product_description',
    'company_address',
    'server_ip',
    'support_email',
    'ip_country',
    'created_at',
    'order_number',
    'total_cents',
    'status',
    'marketing_opt_in',
  ])('%s names no personal data', (column) => {
    expect(readColumnName(column, 'customers').match).toBeUndefined();
  });

  it('says why a personal word does not count', () => {
    expect(readColumnName('email_verified').ignored).toEqual({ term: 'email', kind: 'email', because: 'is about an e-mail address ("verified"), not one' });
    expect(readColumnName('name_id').ignored?.because).toBe("refers to a person's name, does not hold one");
    expect(readColumnName('product_name').ignored?.because).toBe('belongs to a product, not a person');
    expect(readColumnName('emailed_at').ignored).toBeUndefined();
  });

  it('reads a bare name by its table, and never makes a column personal by the table alone', () => {
    expect(readColumnName('name', 'users').match).toMatchObject({ kind: 'full_name', weak: false });
    expect(readColumnName('name', 'Customers').match).toMatchObject({ kind: 'full_name', weak: false });
    expect(readColumnName('name', 'products').match).toBeUndefined();
    expect(readColumnName('name', 'products').ignored?.because).toBe('names something that is not a person (table products)');
    expect(readColumnName('name', 'product_categories').match).toBeUndefined();
    // Neither: the sampled values decide.
    expect(readColumnName('name', 'orders').match).toMatchObject({ kind: 'full_name', weak: true });
    expect(readColumnName('nom', 'utilisateurs').match).toMatchObject({ kind: 'last_name', weak: false });

    expect(readColumnName('subject', 'emails').match).toBeUndefined();
    expect(readColumnName('value', 'phones').match).toBeUndefined();
    expect(readColumnName('id', 'users').match).toBeUndefined();
  });

  it('takes a name qualified by a person as strong, by anything else as weak', () => {
    expect(readColumnName('agent_name', 'conversations').match).toMatchObject({ kind: 'full_name', weak: false });
    expect(readColumnName('shipping_name', 'orders').match).toMatchObject({ kind: 'full_name', weak: false });
    expect(readColumnName('sheet_name', 'reports').match).toMatchObject({ kind: 'full_name', weak: true });
  });

  it('marks ambiguous words weak', () => {
    expect(readColumnName('description').match).toMatchObject({ kind: 'free_text', weak: true });
    expect(readColumnName('via').match).toMatchObject({ kind: 'address', weak: true });
    expect(readColumnName('notes').match).toMatchObject({ kind: 'free_text', weak: false });
  });

  it('reports the matched word as found in the name', () => {
    expect(readColumnName('CustomerEmail').match?.term).toBe('email');
    expect(readColumnName('E-Mail-Adresse').match?.term).toBe('e_mail_adresse');
    expect(readColumnName('billing_zip').match?.term).toBe('zip');
  });
});

describe('PERSONAL_KINDS', () => {
  it('gives every kind a category, a label and the types that can hold it', () => {
    for (const [kind, info] of Object.entries(PERSONAL_KINDS)) {
      expect(info.category, kind).toMatch(/^[a-z_.]+$/);
      expect(info.label, kind).not.toBe('');
      expect(info.types.length, kind).toBeGreaterThan(0);
    }
  });

  it('uses the demo map categories', () => {
    expect(PERSONAL_KINDS.email.category).toBe('contact.email');
    expect(PERSONAL_KINDS.phone.category).toBe('contact.phone');
    expect(PERSONAL_KINDS.full_name.category).toBe('name');
    expect(PERSONAL_KINDS.address.category).toBe('contact.address');
    expect(PERSONAL_KINDS.birth_date.category).toBe('demographic');
    expect(PERSONAL_KINDS.free_text.category).toBe('content');
    expect(PERSONAL_KINDS.ip_address.category).toBe('online.ip');
    expect(PERSONAL_KINDS.user_agent.category).toBe('online.device');
  });

  it('lets types rule out what a name suggests', () => {
    expect(PERSONAL_KINDS.email.types).not.toContain('boolean');
    expect(PERSONAL_KINDS.email.types).not.toContain('datetime');
    expect(PERSONAL_KINDS.email.types).not.toContain('integer');
    expect(PERSONAL_KINDS.birth_date.types).toContain('date');
    expect(PERSONAL_KINDS.last_name.types).toContain('text');
  });
});
