/**
 * The larger name lexicons, beside the curated first names (first-names.ts):
 *
 * - LISTED first names: the given names of gender-detection-from-name (maintained, MIT; about
 *   67,000 names from birth registers and censuses of English-, French-, Spanish-, Italian-,
 *   German- and Turkish-speaking countries, every culture their people come from). Big and
 *   noisy ("the", "snow", "paris" are someone's name there), so a listed name is weaker
 *   evidence than a curated one: it counts with a surname after it or a trigger before it,
 *   never alone, and everyday words are taken out (EVERYDAY_WORDS).
 * - SURNAMES: the most frequent family names of the countries the curated lists leave out
 *   (East and South Asia, Africa, the Nordic countries, Central and Eastern Europe, Greece,
 *   Turkey, the Middle East), compiled by hand for lethe from public statistics of surname
 *   frequency. East Asian family names are also FAMILY_FIRST: written before the given name.
 *
 * The package is read when the first text is searched for names, not when lethe starts.
 */
import { createRequire } from 'node:module';
import { NOT_NAMES } from './common-words.js';
import { FIRST_NAMES, withoutAccents } from './first-names.js';

const LANGUAGES = ['en', 'fr', 'es', 'it', 'de', 'tr'] as const;

/**
 * Words of everyday language, places, months, brands and titles that the listed first names
 * hold too. Lowercase; a listed name that is one of them is no evidence at all.
 */
const EVERYDAY_WORDS = new Set(
  `
  the you and for with this that from have your our ours his hers him she her they them then than there here were what when
  love happy lucky sunny rainy snow rain sun moon star stars sky sea ocean earth fire water air wind storm stone rock gold golden
  silver iron steel glass paper money price cash master honey sugar candy cookie pepper ginger olive cherry apple peach berry
  rose lily daisy iris violet ivy holly heather hazel fern laurel myrtle poppy jasmine willow ash oak pine forest wood woods
  field fields river lake bay hill hills park court lane drive street road way hall house home church chapel school college
  north south east west northern southern central new old young little big great grand long short tall strong brave wise
  white black brown green gray grey blue red pink purple orange yellow scarlet amber ruby pearl jade crystal diamond coral
  king queen prince princess duke duchess count countess baron lord lady sir dame knight bishop pope pastor deacon judge
  general major captain colonel sergeant marshal admiral doctor nurse chef baker cook miller mason hunter fisher farmer
  smith carpenter taylor tailor porter butler cooper carter turner walker parker ranger sailor
  son baby boy girl man woman men women child children kid kids sister brother mother father mom mum dad papa mama
  monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september
  october november december spring summer autumn winter christmas easter noel
  london paris berlin rome madrid lisbon vienna zurich geneva brussels amsterdam dublin york boston dallas austin houston
  denver phoenix orlando miami atlanta chicago detroit sydney melbourne perth darwin adelaide brisbane victoria florence
  milan naples venice turin genoa lyon nice marseille lille nancy toulouse bordeaux valencia seville sevilla granada toledo
  porto braga paris texas georgia virginia carolina dakota montana nevada arizona indiana kansas florida alabama
  germany france spain italy portugal holland england scotland ireland wales britain europe america africa asia china india
  japan russia brazil mexico canada australia israel jordan egypt kenya chad niger mali cuba peru chile bolivia argentina
  san santa saint st sainte santo santiago sankt sint mount mont port fort lake
  ford tesla mercedes porsche ferrari nissan kia renault citroen peugeot skoda seat volvo toyota honda mazda fiat opel audi
  apple sony nike adidas puma visa amex google amazon
  monsieur madame mister misses miss mrs mr ms dr prof
  alpha beta gamma delta sigma omega echo golf hotel india juliet kilo lima oscar papa romeo sierra tango uniform victor whiskey
  yankee zulu
  amor paz luz sol mar cielo rey reina angel angela angeles cruz dolores pilar rosario consuelo remedios mercedes socorro
  esperanza fe gracia gloria soledad milagros
  lune soleil ange dieu marine pierre fleur belle aime aimee
  tag nacht licht stern sonne mond ernst frank frei mai
  bella stella luna mare cielo sole fiore
  page chase dean drew gene art case faith hope joy grace glory justice liberty mercy patience prudence charity constance
  bill will rich sonny sunny buck chip dash duke earl ace rusty dusty sandy misty stormy candy brandy whisky
  via per con del della dei san
  tel fax handy mobil mobile cell phone telefon telefono telefone teléfono gsm
  mir troy maestro elo rupay discover diners jcb unionpay verve dankort carte bleue
  jazz rock blues soul corona fortuna liberty liberté natal pasqua noel navidad torre cross rye
  `
    .split(/\s+/u)
    .filter(Boolean),
);

/**
 * Words of buildings, places and organisations: "Reem Tower", "Tamar Analytics", "Second
 * Floor" are not a first name and a surname.
 */
const PLACE_AND_ORGANISATION_WORDS = new Set(
  `
  room rooms flight floor tower towers building buildings block house hall centre center plaza mall market markets island
  islands beach garden gardens square place residency residence résidence residencia residenza vista view views heights
  valley estate estates apartments apartment condominium condominio villa vila quinta financial analytics consulting
  solutions systems technologies technology tech labs lab group holdings partners associates company corp inc ltd llc gmbh
  museum gallery hotel hostel restaurant cafe café bar bakery pharmacy clinic hospital academy institute foundation
  insurance airlines airways airport station harbour harbor terminal seed seeds farm farms foods shop shops studio studios
  media press publishing services logistics transport motors auto electric energy capital investments properties realty
  tekstil textiles textile calle avenida av avda rua rúa rue strasse straße straat via viale piazza largo travessa praça
  quero conta minha meu fam famiglia familie famille familia second third first fourth fifth part
  `
    .split(/\s+/u)
    .filter(Boolean),
);

/** A word of buildings, places and organisations ("Tower", "Analytics", "Floor"). */
export function isPlaceOrFirmWord(lower: string): boolean {
  return PLACE_AND_ORGANISATION_WORDS.has(lower);
}

/** An everyday word, or a word of places and organisations, that the large lexicon holds as someone's name. */
export function isEverydayWord(lower: string): boolean {
  return EVERYDAY_WORDS.has(lower) || PLACE_AND_ORGANISATION_WORDS.has(lower);
}

let listed: ReadonlySet<string> | undefined;

/** A first name of the large lexicon (lowercase, as written or without accents); see LISTED above. */
export function isListedFirstName(lower: string): boolean {
  listed ??= loadListed();
  return listed.has(lower);
}

function loadListed(): ReadonlySet<string> {
  const require = createRequire(import.meta.url);
  const names = new Set<string>();
  for (const language of LANGUAGES) {
    const map = require(`gender-detection-from-name/names/${language}`) as Map<string, string>;
    for (const name of map.keys()) {
      // Single words of three letters or more; "jose antonio" is two names, each listed on its own.
      if (name.length < 3 || !/^[\p{L}'’-]+$/u.test(name)) continue;
      if (isEverydayWord(name) || NOT_NAMES.has(name)) continue;
      names.add(name);
      names.add(withoutAccents(name));
    }
  }
  for (const name of FIRST_NAMES) names.add(name);
  return names;
}

/** East Asian family names, written before the given name ("Zhou Jun", "Sato Haruto", "Nguyen Thi Lan"). */
const FAMILY_FIRST_LIST = `
  wang li zhang liu chen yang huang zhao wu zhou xu sun zhu hu guo gao lin luo zheng liang xie song tang han feng deng cao
  peng zeng xiao tian dong pan yuan cai jiang du cheng wei su ding ren shen yao cui zhong tan fan jin shi liao jia xia fu fang
  bai zou meng xiong qin qiu yin xue yan duan lei hou long tao gu mao hao gong shao wan qian dai kong xiang chan chow cheung
  wong leung lau kwok ng tsang yip
  kim lee park choi jung jeong kang cho yoon yun jang lim han seo shin kwon hwang ahn jeon hong moon yang son bae baek heo yoo
  nam sim noh kwak sung joo koo min ryu jin chae won cheon byun
  nguyen nguyễn tran trần pham phạm hoang hoàng huynh huỳnh phan vu vũ vo võ dang đặng bui bùi ngo ngô duong dương ly lý
  sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi kato yoshida yamada sasaki yamaguchi matsumoto inoue
  kimura hayashi shimizu yamazaki mori abe ikeda hashimoto yamashita ishikawa nakajima maeda fujita ogawa goto okada hasegawa
  murakami kondo ishii saito sakamoto endo aoki fujii nishimura fukuda ota miura fujiwara okamoto matsuda nakagawa nakano
  harada ono tamura takeuchi kaneko wada nakayama ishida ueda morita hara shibata sakai kudo yokoyama miyazaki miyamoto uchida
  takagi ando taniguchi maruyama imai takada fujimoto takeda murata ueno sugiyama masuda sugawara hirano kojima otsuka chiba
  kubo matsui iwasaki sakurai kinoshita noguchi matsuo nomura kikuchi sano onishi sugimoto arai
`;

/** Family names elsewhere (written after the given name, or alone in prose). */
const SURNAME_LIST = `
  nagy kovács kovacs tóth toth szabó szabo horváth horvath varga kiss molnár molnar németh nemeth farkas balogh papp takács
  takacs juhász juhasz lakatos mészáros meszaros oláh olah rácz racz fekete szilágyi szilagyi török torok fehér feher kónya konya
  novák novak svoboda novotný novotny dvořák dvorak černý cerny procházka prochazka procházková kučera kucera veselý vesely
  horák horak němec nemec marek pokorný pokorny král kral růžička ruzicka beneš benes fiala sedláček sedlacek doležal dolezal
  zeman kolář kolar navrátil navratil čermák cermak urban blažek blazek
  nowak kowalski kowalska wiśniewski wisniewski wiśniewska wójcik wojcik kowalczyk kamiński kaminski lewandowski lewandowska
  zieliński zielinski szymański szymanski woźniak wozniak dąbrowski dabrowski kozłowski kozlowski jankowski mazur kwiatkowski
  krawczyk piotrowski grabowski nowakowski pawłowski pawlowski michalski adamczyk dudek zając zajac wieczorek jabłoński
  jablonski król krol majewski olszewski jaworski wróbel wrobel malinowski pawlak witkowski walczak stępień stepien górski
  gorski rutkowski michalak sikora ostrowski baran duda szewczyk tomaszewski pietrzak marciniak wróblewski zalewski jakubowski
  jasiński jasinski zawadzki sadowski bąk bak chmielewski włodarczyk wlodarczyk borkowski czarnecki sawicki sokołowski
  przybylski przybylska
  jensen nielsen hansen pedersen andersen christensen larsen sørensen sorensen rasmussen jørgensen jorgensen petersen madsen
  kristensen olsen thomsen christiansen poulsen johansen møller moller mortensen østergaard ostergaard halvorsen johansson
  andersson karlsson nilsson eriksson larsson olsson persson svensson gustafsson pettersson jonsson jansson hansson bengtsson
  lindberg lindqvist lindquist lindström lindstrom lundberg lundqvist berg bergström bergstrom sandberg holm nyström nystrom
  korhonen virtanen mäkinen makinen nieminen mäkelä makela hämäläinen hamalainen laine heikkinen koskinen järvinen jarvinen
  lehtonen lehtinen saarinen salminen heinonen niemi heikkila kinnunen salonen turunen salo laitinen tuominen rantanen
  karjalainen jokinen mattila savolainen lahtinen ahonen
  jónsson jonsson sigurðsson sigurdsson guðmundsson gudmundsson jónsdóttir jonsdottir sigurðardóttir guðmundsdóttir
  papadopoulos papadopoulou georgiou nikolaidis konstantinou papadakis vlachos dimitriou ioannou oikonomou karagiannis
  pappas alexiou christodoulou antoniou makris
  yılmaz yilmaz kaya demir şahin sahin çelik celik yıldız yildiz yıldırım yildirim öztürk ozturk aydın aydin özdemir
  ozdemir arslan doğan dogan kılıç kilic aslan çetin cetin koç koc kurt özkan ozkan şimşek simsek polat erdoğan erdogan
  popescu ionescu popa pop radu dumitru stan stoica gheorghe matei ciobanu constantin rusu georgescu
  ivanov ivanova petrov petrova sidorov smirnov smirnova kuznetsov kuznetsova popov popova sokolov lebedev kozlov novikov
  morozov volkov fedorov shevchenko kovalenko bondarenko tkachenko kravchenko melnyk oliynyk koval boyko
  horvat kovačević kovacevic babić babic marić maric jurić juric novak knežević knezevic vuković vukovic petrović petrovic
  jovanović jovanovic nikolić nikolic đorđević djordjevic
  bērziņš berzins kalniņš kalnins kalniņa ozoliņš ozolins jansons kazlauskas jankauskas petrauskas tamm saar sepp mägi magi
  sharma verma gupta singh kumar patel shah mehta joshi agarwal aggarwal bansal jain malhotra kapoor khanna chopra arora
  reddy rao naidu iyer iyengar nair menon pillai krishnan narayanan raghavan subramanian venkataraman chaturvedi trivedi
  mishra pandey tiwari yadav chauhan thakur bhat banerjee chatterjee mukherjee ghosh bose das dutta sen roy chowdhury
  hossain hussain rahman islam ahmed uddin khan siddiqui qureshi chaudhry malik butt akhtar
  okafor okonkwo okeke nwosu eze obi adeyemi adebayo ogunleye oyelaran bello abubakar ibrahim mensah boateng asante
  owusu darko agyeman appiah kamau mwangi otieno ochieng kiprop kipchoge wanjiru njoroge onyango ndlovu khumalo dlamini
  mokoena nkosi zulu mthembu ngcobo naidoo bekele tesfaye girma kebede haile tadesse alemu mohamed farah warsame
  hosseini ahmadi rahimi mohammadi karimi hashemi moradi jafari rezaei mousavi khoury haddad nasser saleh mansour khalil
  hamdan shamsi mansouri cohen levi levy mizrahi katz friedman avraham peretz biton
  kahananui akana ngata tipene
`;

const words = (list: string): string[] => list.split(/\s+/u).filter(Boolean);

export const FAMILY_FIRST: ReadonlySet<string> = new Set(words(FAMILY_FIRST_LIST).flatMap((name) => [name, withoutAccents(name)]));

export const SURNAMES: ReadonlySet<string> = new Set([...words(SURNAME_LIST), ...FAMILY_FIRST].flatMap((name) => [name, withoutAccents(name)]));
