/**
 * Words and regex fragments of postal addresses: street types, flat and floor words, post
 * office boxes, postcodes of the countries whose addresses are written in the seven languages
 * (and of the places their speakers write to), state and province codes, and the words that
 * end an address rather than continue it.
 */
import { NOT_NAMES } from '../person/common-words.js';
import { wordAlternatives } from '../context.js';

/** Not glued to a letter or digit before / after. */
export const B = '(?<![\\p{L}\\p{N}])';
export const E = '(?![\\p{L}\\p{N}])';

/** The entries of a comma-separated list written over several lines ("street, st, road"), with `//` comment lines. */
export function list(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join(',')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** A case-insensitive spelling of `word` that keeps the rest of the regex case-sensitive ("apt" → "[aA][pP][tT]"). */
export function ci(word: string): string {
  let out = '';
  for (const char of word) {
    const lower = char.toLowerCase();
    const upper = char.toUpperCase();
    if (lower !== upper) out += `[${lower}${upper}]`;
    else if (char === ' ') out += '[ ]';
    else out += /[.*+?^${}()|[\]\\/]/.test(char) ? `\\${char}` : char;
  }
  return out;
}

/** An alternation of literal words, longest first (so "avda." wins over "av"). */
export function alternation(words: readonly string[], caseInsensitive = false): string {
  if (!caseInsensitive) return wordAlternatives(words, '[ ]');
  return [...words]
    .sort((a, b) => b.length - a.length)
    .map(ci)
    .join('|');
}

/** A capitalised word: "Baker", "Saint-Louis", "O'Connell", "Tel Aviv-Yafo"'s parts, "CABA". */
export const CAP = "\\p{Lu}[\\p{L}\\p{M}]*(?:['’\\-]\\p{L}[\\p{L}\\p{M}]*)*";

// House numbers never start with 0: "12", "12a", "12 A", "20 A 4", "27/B", "263-1", "88/2/14", "124-III", "3 bis".
export const HOUSE_NUMBER =
  '[1-9]\\d{0,4}(?:[a-zA-Z](?![\\p{L}])|[ ][A-Z](?![\\p{L}\\p{N}])(?:[ ][1-9]\\d{0,2}(?![\\p{L}\\p{N}]))?)?' +
  '(?:[-/](?:\\d{1,4}[a-zA-Z]?|[A-Za-z]|[IVX]{1,4})(?![\\p{L}])){0,3}(?:[ ](?:bis|ter|quater)(?![\\p{L}]))?';

const QUANTITY_WORDS = `
  eur euro euros usd gbp chf kg km cm mm ml min mins minute minutes hr hrs hour hours day days week weeks month months year years
  item items pcs piece pieces units jour jours heure heures semaine semaines mois an ans tag tage tagen stunde stunden woche wochen
  monat monate jahr jahre stück stk día días dias hora horas semana semanas mes meses año años giorno giorni ora ore settimana settimane
  mese mesi anno anni pezzo pezzi dag dagen uur week weken maand maanden jaar stuks people person persons personne personnes personen
  persona personas persone pessoa pessoas box boxes parcel parcels colis paket pakete paquete paquetes pacco pacchi uhr times mal veces
  volte keer vezes ticket tickets bottle bottles copies copy exemplaire exemplaires
`
  .split(/\s+/u)
  .filter(Boolean);

/** A number of days, items or euros is not a house number. */
export const NOT_A_QUANTITY = `(?![ ]?(?:%|€|\\$|£|g|m|l|h|x|${trie(QUANTITY_WORDS, true)})(?![\\p{L}]))`;

export const PARTICLES =
  "(?:de|du|des|de la|de l'|de l’|d'|d’|au|aux|à la|à l'|la|le|les|l'|l’|del|nel|nell'|sul|sull'|de los|de las|dei|degli|delle|della|dello|di|da|do|dos|das|van|von|der|den|het|ter|am|an|im|zum|zur|of|the|y|e|i|al|el|at|on|upon)";

/** Particles inside a place or street name, lowercase ("Cercado de Lima", "Santiago de Compostela", "Witte de With"). */
export const NAME_PARTICLES: ReadonlySet<string> = new Set(
  list(`
  de, du, des, la, le, les, del, los, las, dei, degli, delle, della, dello, di, da, do, dos, das, van, von, der, den, het, ter, te, am, an, im, zum,
  zur, of, the, y, e, i, al, el, at, on, upon, sur, en, bin, binti, ul, d', l', d’, l’, und, and, au, aux, nel, sul, sous, lès, in, bei, ob, unter,
  vor, auf
`),
);

/** Abbreviations that keep their dot inside a name ("Brgy. Pulo", "Col. Roma Norte", "St. Paul", "Road No. 12"). */
export const ABBREVIATIONS: ReadonlySet<string> = new Set(
  list(`
  brgy, col, subd, dist, rd, st, ste, sta, sto, mt, ft, pt, av, ave, avda, dr, bd, blvd, sq, ln, sec, fl, bldg, no, nr, cad, sok, mah, str, pl, pza,
  urb, loc, fraz, jr, cra, cl, tv, dg, bo, pje, blk, lt, ph, vill, hts, ctr, cres, pkwy, hwy, tce, pde, gral, pres, prof, sr, ext, extn, ind, est,
  apt, ap, bl, sc, et, nº, n°, mz, qd, lte, conj, cj, res, jd, vl, pq, lgo, tr, co, dept, govt, sta, mun
`),
);

// Street types written after the name in English ("221 Baker Street", "7421 128 St").
export const ENGLISH_TYPES = list(`
  Street, St, Road, Rd, Avenue, Ave, Av, Lane, Ln, Drive, Dr, Boulevard, Blvd, Bvd, Way, Court, Ct, Place, Pl, Square, Sq, Terrace, Tce, Terr, Close,
  Crescent, Cres, Gardens, Gdns, Grove, Row, Parkway, Pkwy, Highway, Hwy, Mews, View, Quay, Parade, Pde, Wharf, Rise, Walk, Hill, Green, Park, Gate,
  Heights, Vale, Yard, Circle, Cir, Plaza, Alley, Approach, Broadway, Embankment, Esplanade, Promenade, Causeway, Croft, Meadow, Meadows, Fields,
  Loop, Trail, Trl, Pike, Turnpike, Expressway, Expy, Freeway, Fwy, Bypass, Ridge, Cove, Path, Crossing, Commons, Wynd, Brae, Drove, Chase, Glen,
  Hollow, Landing, Terrace, Cross, Main, Marg, Salai, Lu, Jie, Dajie, Dadao, Hutong, Nong, Xiang,
  // the other street suffixes of the US Postal Service (Publication 28) and British ones, less those that are mostly everyday words
  Annex, Bayou, Beach, Bend, Bluff, Bluffs, Bottom, Branch, Bridge, Brook, Brooks, Burg, Canyon, Cape, Center, Centre, Cliff, Cliffs, Common, Corner,
  Corners, Course, Coves, Creek, Crest, Crossroad, Crossroads, Curve, Dale, Divide, Estates, Extension, Falls, Ferry, Field, Flats, Ford, Forest,
  Fort, Garden, Gateway, Glens, Greens, Groves, Harbor, Harbour, Haven, Hills, Inlet, Island, Islands, Isle, Junction, Knoll, Knolls, Lake, Lakes,
  Lodge, Manor, Mill, Mills, Motorway, Mount, Mountain, Orchard, Overpass, Pass, Passage, Pines, Plain, Plains, Point, Points, Prairie, Ranch,
  Rapids, Ridges, River, Route, Shoals, Shore, Shores, Skyway, Springs, Spur, Spurs, Stravenue, Stream, Summit, Throughway, Trafficway, Tunnel,
  Underpass, Valley, Valleys, Viaduct, Village, Villages, Ville, Vista, Track, Grange, Wood, Woods, Side, Steps, Circus, Cottages, Buildings, Villas,
  Reach, Strand, Concourse, Brow, Mead, Garth, Dene, Fold, Lea, Leys, Hey, Gait, Loan, Vennel, Pend, Wharf,
`);

/** Street types written before the name, with the house number after it ("calle Mayor 12", "via Roma, 15", "ul. Floriańska 14/3"). */
export const TYPE_FIRST = list(`
  // Spanish, Catalan, Galician, Latin American
  calle, c/, cl., avenida, avda., avda, av., av, plaza, pza., paseo, pº, camino, carretera, ctra., ronda, travesía, glorieta, rambla, passeig,
  carrer, avinguda, plaça, rúa, pasaje, pje., jr., jirón, bv., bulevar, carrera, cra., kr., diagonal, transversal, calzada, callejón, cjón.,
  prolongación, privada, cerrada, andador, urbanización, polígono, autopista, costanera, acceso, arroyo, bajada, barranco, cuesta, explanada,
  jardines, muelle, parque, plazuela, rotonda, sendero, subida, vía, calleja, riera, travessera, baixada, pujada, carr., priv., prol., cda., calz.,
  circ., retorno, viaducto, callejón, quinta,
  // Italian
  via, viale, v.le, piazza, p.zza, p.za, corso, c.so, largo, vicolo, strada, piazzale, lungomare, lungotevere, contrada, c.da, borgo, frazione,
  fraz., località, loc., salita, traversa, circonvallazione, calle, rotonda, vico, stradone, riva, fondamenta, campo, sestiere, lungarno, galleria,
  // Portuguese
  rua, r., praça, pç., travessa, tv., estrada, alameda, al., calçada, beco, largo, avenida, rodovia, rod., quadra, praceta, ladeira, caminho, acesso,
  viela, rotunda, urbanização, loteamento, conjunto, vila,
  // French (Belgium and Switzerland write the number after: "Rue Saint-Gilles 58", "Avenue Louise 231")
  rue, avenue, boulevard, chaussée, place, chemin, route, quai, allée, impasse, drève, clos, square, passage, voie, cours, sentier, ruelle, venelle,
  galerie, petite rue, grande rue, rond-point, esplanade, parvis, promenade, faubourg, montée, boulevard, bd, bd., av., bld, blvd,
  // Dutch
  laan,
  // Central and Eastern Europe, Turkey, Thailand
  ul., ulica, al., aleja, os., pl., vul., vulytsia, ul, pr., prosp., prospekt, bulevardul, bd., b-dul, calea, șoseaua, soseaua, aleea, piața,
  splaiul, strada, str., soi, thanon, jalan, jl., lorong,
`);

/** Street words glued to the end of the name ("Hauptstraße 5", "Keizersgracht 123", "Drottninggatan 71", "Hämeenkatu 20"). */
export const COMPOUND_SUFFIXES = list(`
  straße, strasse, str., weg, gasse, platz, allee, ring, damm, ufer, chaussee, steig, pfad, markt, graben, straat, laan, plein, gracht, kade, singel,
  dijk, steeg, dreef, pad, hof, plantsoen, wal, baan, lei, vest, gata, gatan, gade, vej, veien, vegen, vägen, väg, vegur, stræti, torg, torget, torv,
  plads, allé, katu, tie, kuja, polku, gränd, stræde, straede
`);

/** Street words written after the name as a word of their own ("Berliner Straße 12", "Király utca 38", "Tartu mnt 84a"). */
export const TYPE_AFTER = list(`
  Straße, Strasse, Str., Weg, Gasse, Platz, Allee, Ring, Damm, Ufer, Chaussee, Markt, Steig, Graben, Kai, utca, út, útja, tér, körút, krt., u., iela,
  gatve, prospekts, mnt, maantee, tänav, tn, pst, puiestee, gatvė, g., ulica, cesta, trg, náměstí, nám., třída, nábřeží, Cad., Caddesi, Cd., Sok.,
  Sokak, Sk., Bulvarı, Blv., Yolu, Mah., Mahallesi, odos, Odos, Leoforos
`);

// Flats, floors, staircases, buildings, offices, boxes written with the street.
export const UNIT_WORDS = list(`
  apt, apto, apartment, apartamento, appt, app, appartement, unit, suite, ste, flat, room, rm, office, ofc, oficina, ofic, bureau, local, loja, shop,
  sala, cj, conj, conjunto, int, interno, scala, esc, escalera, escalier, bus, bte, boîte, boite, piso, planta, puerta, pta, depto, dpto,
  departamento, dept, stiege, stg, top, tür, whg, wohnung, bloc, bloco, bloque, block, blk, torre, tower, casa, lote, lot, level, lvl, floor, kat,
  daire, kv, etaj, parcela, manzana, mz, villa, plot, house, h.no, h. no, door, stand, erf, kamer, bldg, building, wing, phase, sector, bât,
  bâtiment, bat, batiment, entrée, porte, andar, sobreloja, bl, sc, ap, et, fl, of, dep, no, nr, nº, n°, box, site, rd, cs, tsa, qd, lt, lte, casa,
  zimmer, zi, raum, piano, appartamento, edificio, edif, ed, portal, bloque, kamer, verdieping, etage
`);
/** Unit words that are everyday words as well: only with a dot ("Of. 902", "Sc. 2", "Ap. 45", "No. 7"). */
export const UNIT_WORDS_WITH_DOT: ReadonlySet<string> = new Set(['bl', 'sc', 'ap', 'et', 'fl', 'of', 'dep', 'lt', 'qd', 'no', 'nr', 'zi', 'ed']);

/** What ends a floor, flat or door ("2. OG links", "2º izda.", "3º Dto."). */
export const SIDES = `(?:${alternation(['links', 'rechts', 'mitte', 'li', 're', 'izda', 'izq', 'izquierda', 'dcha', 'dch', 'drcha', 'derecha', 'der', 'esq', 'esquerdo', 'dto', 'drt', 'direito', 'frente', 'fte', 'centro', 'ctro', 'th', 'tv', 'mf', 'dx', 'sx'], true)})`;

// Postcodes written before the town: "75011", "1012 AB", "1100-053", "01310-100", "L-1611", "CH-8001", "C1045AAF", "111 36", "31-021", "101".
export const POSTCODE_BEFORE =
  '(?:[A-Z]{1,3}-\\d{4,5}|\\d{5}-\\d{3}|\\d{4}-\\d{3}|\\d{3}-\\d{4}|\\d{2}-\\d{3}|\\d{4}[ ]?[A-Z]{2}(?![\\p{L}])|[A-Z]\\d{4}[A-Z]{3}|\\d{3}[ ]\\d{2}|\\d{3,6})';
export const UK_POSTCODE = '(?:GIR[ ]?0AA|[A-Z]{1,2}\\d[A-Z\\d]?[ ]?\\d[ABD-HJLNP-UW-Z]{2})';
export const CA_POSTCODE = '(?:[ABCEGHJ-NPRSTVXY]\\d[ABCEGHJ-NPRSTV-Z][ ]?\\d[ABCEGHJ-NPRSTV-Z]\\d)';
export const EIRCODE = '(?:(?:[ACDEFHKNPRTVWXY]\\d{2}|D6W)[ ]?[ACDEFHKNPRTVWXY0-9]{4})';
// Postcodes written after the town: UK, Canada, Ireland, US ZIP(+4), Japan, Brazil, Latvia, and the plain digits of Australia, India, ...
export const POSTCODE_AFTER =
  '(?:(?:PIN|Pin|Pincode|PIN[ ]?[Cc]ode|ZIP|Zip|〒)[:.]?[ ]?(?:[-–][ ]?)?)?' +
  `(?:${UK_POSTCODE}|${CA_POSTCODE}|${EIRCODE}|\\d{5}-\\d{4}|\\d{3}-\\d{4}|\\d{5}-\\d{3}|[A-Z]{2}-\\d{4,5}|\\d{3}[ ]\\d{3}(?![ ]?\\d)|\\d{3,7})`;
/** The same after a town without a state: four digits that read as a recent year are one ("Springer Verlag 2019"). */
export const POSTCODE_AFTER_TOWN = POSTCODE_AFTER.replace('|\\d{3,7})', '|(?!(?:19[5-9]\\d|20[0-4]\\d)(?!\\d))\\d{3,7})');

// US states and territories (and the military AA/AE/AP), Canadian provinces, Australian states.
export const STATES = list(`
  AL, AK, AZ, AR, CA, CO, CT, DE, DC, FL, GA, HI, ID, IL, IN, IA, KS, KY, LA, ME, MD, MA, MI, MN, MS, MO, MT, NE, NV, NH, NJ, NM, NY, NC, ND, OH, OK,
  OR, PA, RI, SC, SD, TN, TX, UT, VT, VA, WA, WV, WI, WY, PR, GU, VI, AS, MP, AA, AE, AP, AB, BC, MB, NB, NL, NS, NT, NU, ON, PE, QC, SK, YT, NSW,
  VIC, QLD, SA, WA, TAS, ACT
`);

/** Words that begin what comes after an address, not a town ("Tel", "Thanks", "Mobile"): lowercase. */
const LABELS = `
  tel tél tele telefon telefono teléfono telefone telemóvel telemovel telefoon phone ph mob mobile cell cel celular cellulare handy
  gsm fax email e-mail mail courriel correo web website site www url ref attn contact contacto contatto kontakt contactpersoon order
  invoice pedido commande bestellung ticket tracking iban bic swift card vat nif nie cif cnpj cpf abn gst gstin whatsapp whats skype
  pbx tlf hp sel freephone enquiries recipient name nome nom naam nombre date dob note message subject objet betreff oggetto assunto
  asunto onderwerp from to sent kind yours sincerely cordialement saludos saluti groeten grüße gruss cumprimentos atenciosamente
  regards thanks thank cheers merci danke grazie gracias obrigado obrigada bedankt dank please pls hi hello dear bonjour hallo hola
  ciao olá oi moin lg mfg vg vriendelijke freundliche met mit con com avec with and et und y e en og call ruf chiama llama
  liga appelle paid payment delivered shipped tracking status sgt cpt cep cp plz pin zip postcode
  orders bestelling bestellnummer bestelnummer ordine encomenda factuur rechnung facture factura fattura fatura invoices case dossier
  referentie referenz référence reference referencia riferimento zending sendung colis envío spedizione artikel article item product
  produkt produit producto prodotto produto klant kunde kundennummer klantnummer nummer number numéro número numero versie version
  rma sku serial serie série model modelo modello voucher coupon gutschein cupón buono account konto compte cuenta conto
  conta rekening transaction transaktion transacción transazione transação booking reservation réservation reserva prenotazione
  reservering buchung flight flug vuelo volo voo vlucht seat sitz siège asiento stoel totaal summe
  betrag montant importe importo valor bedrag price prijs preis prix precio prezzo preço qty quantity menge quantité cantidad
  quantità quantidade aantal

`;

const PLACE_WORDS = new Set(
  list(`
  new, san, santa, saint, st, la, le, les, el, il, los, las, den, de, market, station, bridge, hall, centre, center, church, college, university,
  hospital, airport, mall, hotel, road, street, city, bay, park, store, the, o, a, os, as, do, da, das, dos, bad, sankt, air, great, good, north,
  south, east, west, boa, bom, grand, grande, club, school, co
`),
);

/** Words that cannot begin a town or district in an address. */
export const FIRST_STOP: ReadonlySet<string> = new Set([...[...NOT_NAMES].filter((w) => !PLACE_WORDS.has(w)), ...LABELS.split(/\s+/u).filter(Boolean)]);
/** Words that end a town or district where they stand. */
export const ANY_STOP: ReadonlySet<string> = new Set(
  LABELS.split(/\s+/u).filter((w) => w && !['and', 'y', 'e', 'en', 'et', 'und', 'og', 'to', 'from', 'with', 'con', 'com', 'mit', 'met', 'avec'].includes(w)),
);

/**
 * Countries, in English and the seven languages (lowercase, without accents): a country after an
 * address is left out of it when written in ordinary case ("..., Wanica, Suriname") and kept when
 * written in capitals on the envelope's last line ("10112 Tallinn\nESTONIA", "Dubai, UAE").
 * City-states and countries named like their capital are not listed (Singapore, Luxembourg, Mexico).
 */
export const COUNTRIES: ReadonlySet<string> = new Set(
  `
  afghanistan albania algeria algerie algerien argelia algeria andorra angola argentina argentinien argentine armenia australia australie
  australien austria autriche osterreich oesterreich austria oostenrijk azerbaijan bahrain bangladesh belarus belgium belgique belgien
  belgica belgio belgie bolivia bosnia botswana brazil bresil brasilien brasil brasile brazilie bulgaria bulgarie bulgarien cambodia
  cameroon cameroun canada kanada chile chili china chine cina colombia colombie kolumbien costa rica croatia croatie kroatien cuba
  cyprus czechia czech republic tchequie tschechien denmark danemark danemark dinamarca danimarca denemarken dominican republic ecuador
  egypt egypte agypten egipto egitto egypte el salvador england angleterre inglaterra inghilterra engeland estonia estonie estland
  ethiopia ethiopie athiopien etiopia finland finlande finnland finlandia france frankreich francia frankrijk franca germany allemagne
  deutschland alemania germania duitsland alemanha ghana greece grece griechenland grecia griekenland grecia guatemala haiti honduras
  hungary hongrie ungarn hungria ungheria hongarije iceland islande island islandia india inde indien indonesia indonesie indonesien
  iran iraq irak ireland irlande irland irlanda ierland israel italy italie italien italia italie jamaica japan japon giappone japao
  jordan kazakhstan kenya kosovo latvia lettonie lettland letonia lettonia letland lebanon liban libanon libano libya liechtenstein
  lithuania lituanie litauen lituania litouwen malaysia malta maroc morocco marokko marruecos marocco marrocos mozambique mocambique
  moldova montenegro namibia nepal netherlands pays-bas niederlande paises bajos paesi bassi nederland holanda new zealand
  nouvelle-zelande neuseeland nueva zelanda nuova zelanda nieuw-zeeland nicaragua nigeria norway norvege norwegen noruega norvegia
  noorwegen oman pakistan palestine paraguay peru perou philippines philippinen filipinas filippine poland pologne polen polonia
  polonia portugal portogallo qatar romania roumanie rumanien rumania roemenie romenia russia russie russland rusia russia rusland
  russia rwanda saudi arabia scotland ecosse schottland escocia scozia schotland senegal serbia serbie serbien slovakia slovaquie
  slowakei slovenia slovenie slowenien south africa afrique du sud sudafrika sudafrica zuid-afrika africa do sul south korea korea
  coree coree du sud sudkorea corea del sur corea do sul spain espagne spanien espana spagna spanje espanha sri lanka suriname sweden
  suede schweden suecia svezia zweden suecia switzerland suisse schweiz suiza svizzera zwitserland suica syria taiwan tanzania thailand
  thailande tunisia tunisie tunesien tunez tunisia turkey turquie turkei turquia turchia turkije turquia uganda ukraine ucrania ucraina
  oekraine ucrania united kingdom royaume-uni vereinigtes konigreich reino unido regno unito verenigd koninkrijk united states etats-unis
  vereinigte staaten estados unidos stati uniti verenigde staten usa uk uae u.s.a. u.k. emirates united arab emirates emirats arabes
  unis uruguay venezuela vietnam viet nam wales zambia zimbabwe cabo verde cape verde
`
    .split(/\n/u)
    .flatMap((line) => line.trim().split(/\s+/u))
    .filter(Boolean),
);
/** Multi-word countries, matched on the whole component. */
export const COUNTRY_PHRASES: ReadonlySet<string> = new Set(
  list(`
  costa rica, czech republic, dominican republic, el salvador, new zealand, nueva zelanda, nuova zelanda, paises bajos, paesi bassi, saudi arabia,
  south africa, afrique du sud, africa do sul, south korea, coree du sud, corea del sur, corea do sul, sri lanka, united kingdom, reino unido,
  regno unito, verenigd koninkrijk, vereinigtes konigreich, united states, vereinigte staaten, estados unidos, stati uniti, verenigde staten,
  united arab emirates, emirats arabes unis, viet nam, cabo verde, cape verde, the netherlands, the philippines, the united states,
  the united kingdom
`),
);

export function withoutAccents(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '');
}

export function isCountry(written: string): boolean {
  const key = withoutAccents(written.toLowerCase()).replace(/\s+/gu, ' ').trim();
  return COUNTRY_PHRASES.has(key) || (!key.includes(' ') && COUNTRIES.has(key));
}

/** Months and weekdays in the seven languages (lowercase): "12 March", "Am Montag 3" are dates, not streets. */
export const TIME_WORDS: ReadonlySet<string> = new Set(
  `
  january february march april may june july august september october november december jan feb apr jun jul aug sep sept oct nov dec
  monday tuesday wednesday thursday friday saturday sunday tue tues thu thur thurs fri
  janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre decembre
  lundi mardi mercredi jeudi vendredi samedi dimanche
  januar februar märz maerz april juni juli oktober dezember montag dienstag mittwoch donnerstag freitag samstag sonntag
  enero febrero marzo abril junio julio agosto septiembre setiembre octubre noviembre diciembre
  lunes martes miércoles miercoles jueves viernes sábado sabado domingo
  gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre lunedì martedì mercoledì giovedì venerdì sabato domenica
  januari februari maart mei augustus oktober maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
  janeiro fevereiro março maio junho julho setembro outubro dezembro
`
    .split(/\s+/u)
    .filter(Boolean),
);

/** Periods and seasons (lowercase): "Im Jahr 2024", "Summer 2025" are not streets, though "Spring Street" is one. */
export const PERIOD_WORDS: ReadonlySet<string> = new Set(
  `
  year years month months week weeks day days jahr jahre monat monate woche wochen tag tage jaar maand maanden week weken dag dagen
  année années mois semaine semaines jour jours año años mes meses semana semanas día días anno anni mese mesi settimana settimane
  giorno giorni ano anos mês semana dia dias quarter quartal trimestre kwartaal summer winter spring autumn sommer herbst frühling
  zomer lente herfst été hiver printemps automne verano invierno primavera otoño estate inverno autunno verão outono
`
    .split(/\s+/u)
    .filter(Boolean),
);

/** Words that can stand in a street's name ("Market St", "Station Approach") but not labels, months or weekdays ("Order 21 Street"). */
export function isStreetName(written: string): boolean {
  return written
    .split(/[ .]+/u)
    .filter(Boolean)
    .every((word) => !TIME_WORDS.has(word.toLowerCase()) && !ANY_STOP.has(word.toLowerCase()));
}

interface TrieNode {
  children: Map<string, TrieNode>;
  end: boolean;
}

/**
 * An alternation of literal `words` written as a trie ("av(?:enue|enida|da\.)"), which a regex engine
 * runs many times faster than a flat list of alternatives; longer words are preferred.
 * `caseInsensitive`: letters match either case even in a case-sensitive regex.
 */
export function trie(words: readonly string[], caseInsensitive = false): string {
  const root: TrieNode = { children: new Map(), end: false };
  for (const word of words) {
    let node = root;
    for (const char of caseInsensitive ? word.toLowerCase() : word) {
      let child = node.children.get(char);
      if (!child) node.children.set(char, (child = { children: new Map(), end: false }));
      node = child;
    }
    node.end = true;
  }
  const literal = (char: string): string => {
    if (char === ' ') return '[ ]';
    if (caseInsensitive && char.toLowerCase() !== char.toUpperCase()) return `[${char}${char.toUpperCase()}]`;
    return /[.*+?^${}()|[\]\\/]/.test(char) ? `\\${char}` : char;
  };
  const emit = (node: TrieNode): string => {
    const branches = [...node.children].map(([char, child]) => literal(char) + emit(child));
    if (branches.length === 0) return '';
    if (branches.length === 1 && !node.end) return branches[0]!;
    return `(?:${branches.join('|')}${node.end ? '|' : ''})`;
  };
  return emit(root);
}
