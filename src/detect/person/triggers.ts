/**
 * The words that put a name where it is, in English, French, German, Spanish, Italian, Dutch
 * and Portuguese, as plain phrases. Each becomes a pattern matching the end of the text
 * before a word; the phrases' last words also make a set that rules out most words at once.
 */
import { escapeRegExp } from '../context.js';

export type Trigger =
  /** "my name is", "je m'appelle", "ich heiße": whatever capitalised word follows is a name. */
  | 'introduction'
  /** "Mr", "Mme", "Herr", "Sra.", "Dhr.": a surname (or a full name) follows. */
  | 'title'
  /** "Regards,", "Merci,", "Viele Grüße": a signature follows. */
  | 'sign-off'
  /** "Hi", "Bonjour", "Hallo", "Hola", "Ciao", "Hoi", "Olá". */
  | 'greeting'
  /** "account holder:", "titular", "t.n.v.": a full name usually follows. */
  | 'label'
  /** "I'm", "this is", "ich bin", "soy", "sou o": a name or an adjective follows. */
  | 'weak-introduction'
  /** "my wife", "spoke to", "ask for", "falei com o": a person follows. */
  | 'relation'
  /** "with", "from", "and", "to": a person may follow. */
  | 'weak-relation';

export interface TriggerPhrases {
  trigger: Trigger;
  phrases: readonly string[];
  /** Greetings and sign-offs open a line or a sentence; "die beste Qualität" is neither. */
  atLineStart?: boolean;
  /** Only when a colon follows: "Name: Jane", not "the name Jane". */
  colon?: boolean;
}

const each = (heads: readonly string[], tails: readonly string[]): string[] => heads.flatMap((head) => tails.map((tail) => `${head} ${tail}`));

const KIN_EN = ['wife', 'husband', 'son', 'daughter', 'mother', 'father', 'mom', 'mum', 'dad', 'brother', 'sister', 'friend', 'colleague', 'partner', 'boss', 'manager', 'neighbour', 'neighbor'];

/** Checked in this order; the first that matches wins. */
export const TRIGGER_PHRASES: readonly TriggerPhrases[] = [
  {
    trigger: 'introduction',
    phrases: [
      'my name is', "my name's", 'my names', 'name is', "name's", 'signed', 'signé', 'sincerely', 'yours truly', 'yours sincerely', 'call me',
      "je m'appelle", 'mon nom est', "moi c'est", 'je me nomme', 'ich heiße', 'ich heisse', 'mein name ist', 'mein name',
      'me llamo', 'mi nombre es', 'mi chiamo', 'il mio nome è', 'mi nome è', 'mijn naam is', 'ik heet', 'mijn naam',
      'chamo-me', 'o meu nome é', 'meu nome é', 'me chamo',
    ],
  },
  {
    trigger: 'introduction',
    colon: true,
    phrases: [
      'full name', 'name', 'nom', 'nombre', 'nome', 'naam', 'first name', 'last name', 'surname', 'family name', 'given name',
      'given names', 'forename', 'vorname', 'nachname', 'familienname', 'prénom', 'nom de famille', 'apellido', 'apellidos',
      'nombre y apellidos', 'cognome', 'nome e cognome', 'voornaam', 'achternaam', 'apelido', 'sobrenome', 'nome completo',
      'passenger', 'guest', 'patient', 'applicant', 'candidate', 'tenant', 'beneficiary', 'recipient', 'sender', 'signed',
      'witness', 'emergency contact', 'next of kin', 'author', 'authors', 'speaker', 'speakers', 'founders', 'co-founders',
      'attendees', 'participants', 'assignee', 'reporter', 'requester', 'owner', 'agent', 'manager', 'supervisor', 'referee',
      'patiënt', 'patient', 'passagier', 'gast', 'huurder', 'mieter', 'mieterin', 'locataire', 'inquilino', 'inquilina',
    ],
  },
  {
    trigger: 'title',
    phrases: [
      'mr', 'mr.', 'mrs', 'mrs.', 'ms', 'ms.', 'mx', 'miss', 'dr', 'dr.', 'prof', 'prof.', 'sir', 'madam', 'm.', 'mme', 'mlle', 'monsieur',
      'madame', 'mademoiselle', 'herr', 'herrn', 'frau', 'fräulein', 'sr', 'sr.', 'sra', 'sra.', 'srta', 'srta.', 'señor', 'señora',
      'señorita', 'don', 'doña', 'sig', 'sig.', 'sig.ra', 'sigra', 'signor', 'signora', 'signorina', 'dott', 'dott.', 'dott.ssa',
      'avv', 'avv.', 'dhr', 'dhr.', 'mevr', 'mevr.', 'mw', 'mw.', 'meneer', 'mevrouw', 'heer', 'sr.ª', 'senhor', 'senhora', 'dona',
      'oma', 'opa', 'tante', 'onkel', 'tía', 'tío', 'tia', 'tio', 'zia', 'zio', 'nonna', 'nonno', 'avó', 'avô', 'vovó', 'vovô',
      'abuela', 'abuelo', 'mamie', 'papy', 'tonton', 'tata', 'oom', 'auntie', 'aunt', 'uncle', 'grandma', 'grandpa', 'granny',
    ],
  },
  {
    trigger: 'sign-off',
    atLineStart: true,
    phrases: [
      'regards', 'best regards', 'kind regards', 'warm regards', 'best wishes', 'best', 'cheers', 'thanks', 'many thanks', 'thank you',
      'thanks again', 'thx', 'take care', 'love', 'cordialement', 'bien cordialement', 'bien à vous', 'amitiés', 'bises', 'bisous',
      'à bientôt', 'merci', 'merci beaucoup', 'grüße', 'gruß', 'viele grüße', 'liebe grüße', 'beste grüße', 'herzliche grüße',
      'freundliche grüße', 'mit freundlichen grüßen', 'lg', 'vg', 'mfg', 'danke', 'vielen dank', 'saludos', 'un saludo', 'atentamente',
      'gracias', 'muchas gracias', 'un abrazo', 'besos', 'cordiali saluti', 'saluti', 'distinti saluti', 'grazie', 'grazie mille',
      'a presto', 'un abbraccio', 'groeten', 'groetjes', 'met vriendelijke groet', 'met vriendelijke groeten', 'vriendelijke groet',
      'mvg', 'bedankt', 'dank je', 'dank je wel', 'dank u', 'hartelijke groet', 'obrigado', 'obrigada', 'cumprimentos',
      'com os melhores cumprimentos', 'melhores cumprimentos', 'atenciosamente', 'abraço', 'beijos', '--', '—', '–', '-',
    ],
  },
  {
    trigger: 'greeting',
    atLineStart: true,
    phrases: [
      'hi', 'hello', 'hey', 'hiya', 'heya', 'dear', 'good morning', 'good afternoon', 'good evening', 'bonjour', 'bonsoir', 'salut',
      'coucou', 'cher', 'chère', 'hallo', 'guten tag', 'guten morgen', 'guten abend', 'liebe', 'lieber', 'servus', 'moin', 'grüß gott',
      'hola', 'buenos días', 'buenas tardes', 'buenas', 'estimado', 'estimada', 'querido', 'querida', 'ciao', 'salve', 'buongiorno',
      'buonasera', 'gentile', 'gentilissimo', 'gentilissima', 'caro', 'cara', 'beste', 'hoi', 'goedemorgen', 'goedemiddag',
      'goedenavond', 'dag', 'geachte', 'lieve', 'olá', 'ola', 'bom dia', 'boa tarde', 'boa noite', 'prezado', 'prezada',
    ],
  },
  {
    trigger: 'label',
    colon: true,
    phrases: [
      'account holder', 'holder', 'cardholder', 'card holder', 'customer', 'client', 'employee', 'contact person', 'contact', 'attn',
      'from', 'to', 'cc', 'titulaire', 'destinataire', 'kontoinhaber', 'inhaber', 'empfänger', 'kunde', 'kundin', 'ansprechpartner',
      'ansprechpartnerin', 'titular', 'destinatario', 'destinataria', 'intestatario', 'intestataria', 'rekeninghouder',
      'contactpersoon', 'ontvanger', 'klant', 'adres', 'adresse', 'address', 'lieferadresse', 'dirección', 'indirizzo', 'morada',
    ],
  },
  {
    trigger: 'label',
    phrases: [
      'account holder', 'cardholder', 'card holder', 'employee', 'in the name of', 'titulaire', "à l'ordre de", 'au nom de',
      'kontoinhaber', 'zu händen', 'z. hd.', 'z.hd.', 'titular', 'a nombre de', 'intestatario', 'intestataria', 'intestato a',
      'rekeninghouder', 't.n.v.', 't.n.v', 'tnv', 'ten name van', 'contactpersoon', 'contactpersoon is', 'ansprechpartner',
      'ansprechpartnerin', 'c/o',
    ],
  },
  {
    trigger: 'weak-introduction',
    phrases: [
      "i'm", 'i am', "it's", 'its', 'it is', 'this is', 'here is', "here's", 'called', 'named', 'je suis', "c'est", 'ici', 'ich bin',
      'ich bins', 'bins', 'agent', 'advisor', 'adviser', 'rep',
      'hier ist', 'hier spricht', 'soy', 'habla', 'sono', 'qui è', 'ik ben', 'met', 'namens', 'sou o', 'sou a', 'sou', 'é o', 'é a',
      'fala o', 'fala a', 'aqui é', 'aqui fala',
    ],
  },
  {
    trigger: 'relation',
    phrases: [
      ...each(['my'], KIN_EN),
      ...each(['ma', 'mon'], ['femme', 'mari', 'fils', 'fille', 'mère', 'père', 'frère', 'sœur', 'soeur', 'ami', 'amie', 'collègue']),
      ...each(['mein', 'meine'], ['frau', 'mann', 'tochter', 'sohn', 'mutter', 'vater', 'schwester', 'bruder', 'kollegin', 'kollege', 'freundin', 'freund']),
      ...each(['mi'], ['esposa', 'marido', 'hijo', 'hija', 'madre', 'padre', 'hermano', 'hermana', 'amigo', 'amiga']),
      ...each(['mia', 'mio'], ['moglie', 'marito', 'figlio', 'figlia', 'madre', 'padre', 'sorella', 'fratello', 'amico', 'amica']),
      ...each(['mijn'], ['vrouw', 'man', 'zoon', 'dochter', 'moeder', 'vader', 'broer', 'zus', 'vriend', 'vriendin', 'collega']),
      ...each(['o meu', 'a minha', 'meu', 'minha'], ['mulher', 'marido', 'filho', 'filha', 'mãe', 'pai', 'irmão', 'irmã', 'amigo', 'amiga', 'colega']),
      'spoke to', 'spoke with', 'talked to', 'speak to', 'ask for', 'asked for', 'parlé à', 'parlé avec', 'demandez', 'mit frau',
      'mit herrn', 'gesprochen mit', 'hablé con', 'pregunte por', 'parlato con', 'chiedete di', 'gesproken met', 'vraag naar',
      'falei com o', 'falei com a', 'falei com', 'fale com o', 'fale com a', 'com o', 'com a',
      'follow up with', 'followed up with', 'following up with', 'assigned to', 'reassigned to', 'escalated to', 'forwarded to',
      'handed over to', 'according to', 'written by', 'signed by', 'approved by', 'thanks to', 'met with', 'meeting with',
      'call with', 'chat with', 'interview with', 'contact', 'contacted', 'emailed', 'ping', 'cc', 'attn', 'attn.',
      'w/', 'spoke w/', 'talked w/', 'met w/', 'sorry', 'thanks', 'thank you', 'ta', 'citofono', 'interphone', 'klingel',
      'attendees', 'present', 'aanwezig', 'anwesend', 'présents', 'presentes', 'presenti', 'dossier de', 'tochter von', 'sohn von',
    ],
  },
  {
    trigger: 'weak-relation',
    phrases: ['with', 'from', 'and', 'by', 'for', 'to', 'per', 'für', 'mit', 'von', 'und', 'para', 'con', 'pour', 'avec', 'et', 'par', 'voor', 'van', 'en', 'bij', 'met', 'e', 'y', 'de', 'da', 'do'],
  },
];

// Between the trigger and the name: spaces, one comma, colon or "!", and one line break.
const END = '[ \\t]*[,:!]?[ \\t]*(?:\\r?\\n[ \\t]*)?$';

function phrasePattern(phrase: string): string {
  return escapeRegExp(phrase).replace(/['’]/g, "['’]").replace(/ /g, '[ \\t]+');
}

const TRIGGERS: readonly (readonly [Trigger, RegExp])[] = TRIGGER_PHRASES.map(({ trigger, phrases, atLineStart, colon }) => {
  const alternatives = [...phrases].sort((a, b) => b.length - a.length).map(phrasePattern).join('|');
  const before = atLineStart ? '(?:^|[\\n.!?;:,()\\-–—][ \\t]*)' : '(?<![\\p{L}\\p{N}])';
  return [trigger, new RegExp(`${before}(?:${alternatives})${colon ? '(?=[ \\t]*:)' : ''}${END}`, 'iu')] as const;
});

/** A phrase's last word, lowercased, without a final full stop: what `lastWordBefore` compares. */
function lastWordOf(phrase: string): string {
  return phrase.toLowerCase().replace(/’/g, "'").split(' ').at(-1)!.replace(/\.$/u, '');
}

const LAST_WORDS: ReadonlySet<string> = new Set(TRIGGER_PHRASES.flatMap(({ phrases }) => phrases.map(lastWordOf)));

/** Titles and kinship words of one word ("Dona", "Herr", "Oma"), lowercase, without a full stop: they stand before names. */
export const TITLE_WORDS: ReadonlySet<string> = new Set(
  TRIGGER_PHRASES.filter(({ trigger }) => trigger === 'title').flatMap(({ phrases }) => phrases.filter((p) => !p.includes(' ')).map(lastWordOf)),
);

/**
 * Whether the word before `start` (past spaces, one comma, colon or "!", and a line break)
 * ends some trigger phrase. Most words fail this, and then no pattern needs to run.
 */
function mayFollowTrigger(text: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i--;
  if (i >= 0 && (text[i] === ',' || text[i] === ':' || text[i] === '!')) i--;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  const end = i + 1;
  while (i >= 0 && text[i] !== ' ' && text[i] !== '\t' && text[i] !== '\n' && text[i] !== '\r') i--;
  const word = text.slice(i + 1, end).toLowerCase().replace(/’/g, "'").replace(/\.$/u, '');
  return LAST_WORDS.has(word);
}

const CONTEXT_WINDOW = 48;

/** The trigger whose phrase ends right before `start`, if any. */
export function triggerBefore(text: string, start: number): Trigger | undefined {
  if (start === 0 || !mayFollowTrigger(text, start)) return undefined;
  const from = Math.max(0, start - CONTEXT_WINDOW);
  // A word cut at the window's edge must not look like one starting there.
  const before = (from > 0 ? 'x' : '') + text.slice(from, start);
  for (const [trigger, pattern] of TRIGGERS) if (pattern.test(before)) return trigger;
  return undefined;
}
