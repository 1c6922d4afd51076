import { describe, expect, it } from 'vitest';
import { found } from './helpers.js';

const persons = (text: string) => found('PERSON', text);

describe('person detection', () => {
  it.each([
    // introductions
    ['My name is Elena Marchetti and I need help', ['Elena Marchetti']],
    ["Hello, I'm Tobias Lindqvist", ['Tobias Lindqvist']],
    ["je m'appelle Amandine Leroux", ['Amandine Leroux']],
    ['ich heiße Florian Brandt', ['Florian Brandt']],
    ['me llamo Lucía Herrera', ['Lucía Herrera']],
    ['mi chiamo Federica Conti', ['Federica Conti']],
    ['mijn naam is Bram de Jong', ['Bram de Jong']],
    ['chamo-me Beatriz Sousa', ['Beatriz Sousa']],
    // a lower-case name of the large lexicon after an introduction (weaker: redact takes it, find does not)
    ['my name is zoltan', ['zoltan']],
    ['my name is tomorrow', []],
    ['my name is jessica', ['jessica']],
    // greetings, with names on or off the lists
    ['Hi Wanjiru, thanks for waiting', ['Wanjiru']],
    ['hey marcus, any news?', ['marcus']],
    ['Bonjour Solène,', ['Solène']],
    ['Hallo Jörg, danke', ['Jörg']],
    ['Hola Iker, ¿qué tal?', ['Iker']],
    ['Ciao Ginevra!', ['Ginevra']],
    ['Beste Joost, bedankt', ['Joost']],
    // titles: the surname, without the title
    ['Dear Mrs Abernathy, your refund is on its way', ['Abernathy']],
    ['Sehr geehrter Herr Wagner,', ['Wagner']],
    ['Bonjour Mme Lefebvre', ['Lefebvre']],
    ['Estimada Sra. Ortega', ['Ortega']],
    ['Geachte heer Visser', ['Visser']],
    // sign-offs
    ['Thanks,\nRebecca', ['Rebecca']],
    ['Kind regards,\nOlusegun Adeyemi', ['Olusegun Adeyemi']],
    ['Cordialement,\nGaëlle Moreau', ['Gaëlle Moreau']],
    ['Viele Grüße\nSvenja Krüger', ['Svenja Krüger']],
    ['Met vriendelijke groet,\nThijs Bakker', ['Thijs Bakker']],
    // known first names with surnames, particles, initials
    ['I spoke to Laura Bianchi yesterday', ['Laura Bianchi']],
    ['please ask Pieter van den Broek', ['Pieter van den Broek']],
    ['Signed by Maria de la Cruz Fernández', ['Maria de la Cruz Fernández']],
    ['the agent was John F. Kennedy', ['John F. Kennedy']],
    ["Sean O'Sullivan called", ["Sean O'Sullivan"]],
    ['Jean-Luc Picard wrote', ['Jean-Luc Picard']],
    // relations
    ['my husband Dragan will pick it up', ['Dragan']],
    ['I talked to Wiremu on the phone', ['Wiremu']],
    // labels, signatures, self-naming, names that are also in the e-mail address
    ['account holder: Ifeoma Eze', ['Ifeoma Eze']],
    ['IBAN in the name of Hendrik Bos', ['Hendrik Bos']],
    ['Thanks for waiting\nPilar Domínguez', ['Pilar Domínguez']],
    ['hi, olivia here, any update?', ['olivia']],
    ['Rosa – rosa.m@example.org', ['Rosa']],
    ['Send it to Aoibheann Kelly please', ['Aoibheann Kelly']],
  ])('finds the names in %j', (text, names) => {
    expect(persons(text)).toEqual(names);
  });

  it.each([
    ['greeting a team', 'Hi Team, Hello World, Dear Customer'],
    ['a month', 'It will arrive in May, maybe by June 3rd'],
    ['a modal verb', 'Will you ship it? Mark the order as paid.'],
    ['an adjective after "I am"', "I'm French and I'm Happy"],
    ['a place named after a saint', 'We are closed on Saint Patrick and in San Francisco'],
    ['an article before a word that is also a name', 'La Rose des vents est épuisée'],
    ['a German noun after a greeting word mid-sentence', 'die beste Qualität und liebe Grüße an alle'],
    ['a contraction', "It's fine, I'm here"],
    ['names inside an e-mail address', 'write to jane.doe@example.com'],
    ['a handle', 'follow @marcus on the forum'],
    ['shouting', 'HI THERE, THE PARCEL IS BROKEN'],
    ['lowercase words that are names', 'i will mark it and may rob no one'],
  ])('does not flag %s', (_what, text) => {
    expect(persons(text)).toEqual([]);
  });

  it('scores a name with context above one without', async () => {
    const { detect } = await import('../../../src/detect/index.js');
    const [withContext] = detect('My name is Laura', { types: ['PERSON'] });
    const [without] = detect('Laura will call', { types: ['PERSON'] });
    expect(withContext!.score).toBeGreaterThan(without!.score);
  });

  describe('names of every culture (what redact takes)', () => {
    const redacted = (text: string) => found('PERSON', text, { purpose: 'redact' });

    it.each([
      // a given name of the large lexicon with a surname after it
      ['The keys are with Bohdan Kovalenko at the front desk', ['Bohdan Kovalenko']],
      // a frequent surname after a given name no list holds
      ['Our driver Tendai Ndlovu will call', ['Tendai Ndlovu']],
      ['Please forward this to Bongani Dlamini today', ['Bongani Dlamini']],
      // family name first
      ['The form was signed by Yamamoto Kenta yesterday', ['Yamamoto Kenta']],
      // a surname alone in the middle of a sentence
      ['As Wiśniewski noted in the review, the numbers hold', ['Wiśniewski']],
      // initials before a surname
      ['Approved by J. K. Svoboda on behalf of the board', ['J. K. Svoboda']],
      // the possessive stays outside
      ["That was Ingrid Halvorsen's idea", ['Ingrid Halvorsen']],
      // a list that says "and", one of whose members is a name
      ['Present: Maria Nowak, Okoro, Lindahl and Brandão', ['Maria Nowak', 'Okoro', 'Lindahl', 'Brandão']],
      // a surname of a full name, alone again later
      ['Tomasz Zieliński called. Zieliński wants a refund', ['Tomasz Zieliński', 'Zieliński']],
      // lower case after a cue, and as the signature that ends a message
      ['please follow up with ramón etxeberria', ['ramón etxeberria']],
      ['the parcel never came. thanks. oluwaseun bakare', ['oluwaseun bakare']],
      ['nome: teodora ferreira monteiro | tel: 212 555', ['teodora ferreira monteiro']],
    ])('finds the names in %j', (text, names) => {
      expect(redacted(text)).toEqual(names);
    });

    it.each([
      ['a title before a name', 'Geachte heer Visser', ['Visser']],
      ['kinship words before a name', 'Oma Gertrud ruft morgen an', ['Gertrud']],
      ['a building named after a word of the lexicon', 'Deliver to Opal Tower, level 3', []],
      ['a list without a name in it', 'We ship to Lagos, Abuja and Kano', []],
      ['an everyday word after a cue', 'please follow up with tomorrow', []],
      ['a place after an article', 'We met in the Jensen Hall at the Copacabana', []],
    ])('does not take %s', (_what, text, names) => {
      expect(redacted(text)).toEqual(names);
    });

    it('scores a name of the large lexicon alone under the find threshold, and finds it for redact', () => {
      const text = 'The booking is under Chidinma, room 12';
      expect(found('PERSON', text, { purpose: 'find' })).toEqual([]);
      expect(redacted(text)).toEqual(['Chidinma']);
    });
  });
});
