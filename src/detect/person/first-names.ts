/**
 * Common given names in English, French, German, Spanish, Italian, Dutch and Portuguese, plus
 * those of Europe's larger Irish, Polish, Turkish, Arabic, South Asian and West African
 * communities, compiled by hand for lethe from public birth-registration rankings (several
 * decades, so that the parents are in it as well as the children). Lowercase; accents as
 * usually written. The list is a source of evidence, not of truth: names that are also
 * everyday words are listed again in AMBIGUOUS_NAMES and need more context before they count.
 */
const ENGLISH = `
aaron abby abigail adam adrian aiden alan albert alex alexa alexander alexandra alexis alfie alfred alice alicia alison amanda
amber amelia amy andrea andrew angela angie anita ann anna anne annie anthony archie arthur ashley audrey austin ava barbara
barry becky ben benjamin beth bethany betty beverly bill billy blake bobby bonnie brad bradley brandon brenda brendan brian
bridget brittany brooke bruce bryan caitlin caleb callum cameron carl carla carlos carly caroline carolyn carrie casey catherine
cathy charles charlie charlotte chelsea cheryl chloe chris christian christina christine christopher cindy claire clara colin
connor courtney craig crystal cynthia daisy dan daniel daniela danielle danny darren dave david dawn debbie deborah debra declan
denise dennis derek diana diane donald donna doris dorothy douglas dylan edward eileen elaine eleanor elijah elizabeth ella ellie
emily emma eric erica erin ethan eugene evelyn evan fiona florence frances francis frank fred freddie frederick freya gail gareth
gary gavin gemma george georgia gerald gillian gina glenn gloria gordon graham grant greg gregory hailey hannah harold harper
harrison harry harvey hayley heather heidi helen henry holly howard hugh hugo ian imogen irene isaac isabel isabella isabelle
isla jack jackie jacob jacqueline jade jake james jamie jane janet janice jared jasmine jason jay jayden jean jeff jeffrey
jemma jenna jennifer jenny jeremy jerry jess jesse jessica jill jim jimmy joan joanna joanne jodie joe joel john johnny jon
jonathan jordan joseph josephine josh joshua joyce judith judy julia julian julie justin karen kate katherine kathleen kathryn
kathy katie kayla keith kelly ken kenneth kerry kevin kieran kim kimberly kirsty kyle laura lauren lawrence leah lee leo leon
leonard lesley leslie liam lillian lily linda lindsay lisa logan lois lola lorraine louis louise lucas lucy luke lydia lynn
madison maggie mandy marcus margaret maria marie marilyn marion mark martha martin mary mason matilda matt matthew maureen max
megan melanie melissa mia michael michelle mike mildred millie molly monica morgan nancy naomi natalie natasha nathan neil
niall nicholas nicola nicole noah norma norman oliver olivia oscar owen paige pamela patricia patrick paul paula pauline peggy
penelope peter philip phillip phoebe poppy rachel ralph rebecca reece rhys richard rick rita rob robert robin rodney roger ronald
rose rosie ross roy ruby russell ruth ryan sally sam samantha samuel sandra sara sarah scarlett scott sean seb sebastian shane
shannon sharon shaun sheila shirley sienna simon sophia sophie stacey stanley stella stephanie stephen steve steven stewart stuart
susan suzanne sylvia tamara tanya tara teresa terry thea theo theodore theresa thomas tiffany timothy tina toby todd tom tommy
tony tracey tracy travis trevor tyler valerie vanessa vera veronica vicky victor victoria vincent virginia walter wayne wendy
william willow wyatt yvonne zachary zoe zoë zara
`;

const FRENCH = `
adèle adeline adrien agathe agnès aimée alain alban albane alexandre alexis alice aline alix amandine ambre amélie anaïs andré
angèle anne annick anthony antoine antonin apolline armand arnaud arthur aude audrey augustin aurélie aurélien axel baptiste
bastien benjamin benoît bernadette bernard bertrand blanche brigitte bruno camille capucine carole caroline cécile céline
chantal charles charlotte chloé christelle christian christine christophe claire clarisse claude clémence clément clémentine
colette coralie corentin cyril damien daniel danielle david delphine denis denise didier dominique dorothée édouard éléonore
élise élodie éloïse emma emmanuel emmanuelle enzo éric estelle ethan étienne eugénie éva fabien fabienne fabrice fanny florence
florent florian francis franck françois françoise frédéric frédérique gabriel gabrielle gaël gaëlle gaspard gauthier geneviève
georges gérald gérard germaine ghislaine gilbert gilles ginette grégoire grégory guillaume gustave guy hélène henri hervé
hortense hugo hugues inès irène isabelle jacqueline jacques jean jeanne jérémy jérôme joël joëlle jordan joséphine josette
julie julien juliette justine karine kévin laetitia laure laurence laurent léa léna léo léon léonie lise loïc lola louis louise
luc lucas lucie lucien lucille ludovic lydie madeleine maël maëlle manon marc marcel margaux margot marguerite marianne
marie marine marion marius marthe martine mathéo mathias mathieu mathilde matthieu maurice maxence maxime mélanie michel
michèle micheline mickaël mireille monique morgane muriel mylène nadine nathalie nathan nicolas nicole noé noémie océane
odette odile olivier pascal pascale patrice patrick paul pauline philippe pierre quentin raphaël raphaëlle raymond rémi
rémy renaud renée robert roger romain rose sabine sacha samuel sandrine sarah sébastien serge simone solène sophie stéphane
stéphanie suzanne sylvain sylvie théo thérèse thibault thibaut thierry thomas timothée tristan valentin valérie véronique
victor victoire vincent virginie xavier yann yannick yvette yves yvonne zoé
`;

const GERMAN = `
achim adrian agnes alexander alexandra alina andrea andreas angelika anja anke anna anne annette antje arne axel barbara
bärbel beate benedikt benjamin bernd bernhard bettina birgit björn brigitte carina carsten christa christian christiane
christina christoph claudia clemens constanze cornelia daniel daniela dennis detlef dieter dirk doris dorothea edith elena
elfriede elias elisabeth elke emil emilia emma erich erika ernst erwin eva fabian felix finn florian franz franziska frieda
friedrich frank gabriele georg gerd gerda gerhard gertrud gisela greta gudrun günter günther hanna hannah hannelore hans harald
heike heinz heinrich helga helmut hendrik henrik herbert hermann hildegard holger horst ilse ines inge ingrid irmgard jan jana
jannik jens joachim jochen johann johanna johannes jonas jörg josef julia julian jürgen jutta karin karl karla katharina
kathrin katja kerstin kevin klaus konstantin kristin lars lea leon leonie lena lisa luca lukas lina ludwig luise lutz magdalena
maik manfred manuel manuela marco mareike margarete margit maria marianne marie marion markus martha martin martina matthias
max maximilian melanie michael michaela mia mila monika nadine nicole niklas nils nina norbert olaf ole oliver otto patrick
paul paula peter petra philipp rainer ralf regina reinhard renate robert roland rolf rosemarie rudolf ruth sabine sabrina
sandra sara sarah sascha sebastian silke simon simone sophie stefan stefanie steffen susanne sven swen tanja thomas thorsten
tim tobias torsten udo ulrich ulrike ursula uta ute uwe valentina vanessa veronika volker walter waltraud werner wilhelm
wolfgang yvonne jürgen lothar gunter götz kai heidi dagmar dörte hartmut ingo jan-niklas lennart luisa malte mathilda merle
moritz nele niko pia ronja till timo wiebke
`;

const SPANISH = `
adolfo adrián agustín aitana alba alberto alejandra alejandro alfonso alfredo alicia almudena álvaro amparo ana andrea andrés
ángel ángela ángeles antonia antonio arturo aurora beatriz begoña bruno carla carlos carmen carolina catalina cecilia celia
clara claudia concepción cristina cristian daniel daniela david diana diego dolores eduardo elena elisa emilio encarnación
enrique esperanza esteban estefanía esther eva fátima federico felipe fernando francisca francisco gabriel gema gerardo
gloria gonzalo gregorio guadalupe guillermo gustavo héctor hugo ignacio inés inmaculada irene isabel ismael iván jaime javier
jesús jimena joaquín jordi jorge josé josefa josefina juan juana julia julián julio laura leire leticia lidia lola lorena
lorenzo lourdes lucas lucía luis luisa manuel manuela marcos margarita maría mariano marina mario marisol marta martín
mateo matías mercedes miguel milagros mireia miriam mónica montserrat natalia nerea nicolás noelia nuria olga óscar pablo
paloma patricia paula pedro pilar rafael ramón raquel raúl ricardo roberto rocío rodrigo rosa rosario rubén salvador samuel
santiago sara sebastián sergio silvia sofía soledad sonia susana teresa tomás valentina vanesa verónica vicente víctor
virginia xavier yolanda
`;

const ITALIAN = `
achille ada adele adriana adriano agnese alberto alessandra alessandro alessia alessio alice alfredo alda aldo amedeo anna
andrea angela angelo annalisa antonella antonio arianna arturo aurora barbara beatrice benedetta bianca bruno carla carlo
carolina caterina cesare chiara cinzia claudia claudio cristian cristina daniela daniele dario davide debora diego domenico
donatella edoardo elena eleonora elisa elisabetta emanuela emanuele emma enrico enzo erica ettore fabio fabrizio federica
federico filippo flavia flavio francesca francesco franco gabriele gabriella giacomo gianluca gianni giacomo gino ginevra
giorgia giorgio giovanna giovanni giulia giuliana giuliano giulio giuseppe giuseppina graziella greta guido ilaria irene
jacopo laura leonardo letizia lidia linda lorenzo loredana luca lucia luciana luciano lucio luigi luisa manuela marco
margherita maria mariangela marina mario marta martina massimo matteo mattia maurizio michela michele mirko monica nadia
nicola nicoletta noemi paola paolo patrizia piera piero pietro raffaele raffaella rebecca renato riccardo rita roberta
roberto rocco rosa rosanna rossella sabrina salvatore samuele sandra sandro sara serena sergio silvia silvio simona simone
sofia stefania stefano tiziana tommaso valentina valeria valerio vanessa vincenzo viola virginia vittoria vittorio
`;

const DUTCH = `
aad anouk anke annemarie annelies anneke arend arie arjen bas bart bastiaan ben bram carolien cas chantal christiaan cor
corné daan danique dewi dick dirk douwe eline els emma erik esmee esther evert evi femke fenna finn floor fleur frank frans
freek frits geert gerard gerrit gert gijs gonnie greet guus hanneke hans harm hein hendrik henk herman hugo ilse inge ingrid
iris jaap jacco jacob jan janneke jannes jasper jelle jeroen jesse joost joris jos josé julia juul kees kevin klaas koen
lars lieke lieve lisa lotte luuk maaike maarten manon marieke marijke marloes martijn mats maud meike merel michiel milan
mirjam monique nick niels noor pieter puck rik rob roel roos ruben rutger sander sanne sem sjoerd sophie stijn suzanne
teun thijs tim tom ton vera willem wim wouter yvonne zoë
`;

const PORTUGUESE = `
afonso alexandre ana andré andreia antónio beatriz bernardo bruna bruno carla carolina catarina cláudia constança cristiana
daniela david diana diogo duarte eduarda eduardo fernanda fernando filipa filipe francisca francisco gabriel gonçalo guilherme
helena henrique hugo inês isabel joana joão jorge josé leonor letícia lourenço luana luís luísa madalena manuel margarida
maria mariana marta martim matilde miguel nuno patrícia paulo pedro raquel ricardo rita rodrigo rui salvador santiago sara
sérgio simão sofia susana tânia teresa tiago tomás vasco vera vítor
`;

// Names common across Europe's larger communities: Irish, Polish, Turkish, Arabic, South Asian, West African.
const ACROSS_EUROPE = `
aoife caoimhe ciara ciarán ciaran cian clodagh darragh eoin fionn niamh oisín oisin orla orlaith padraig pádraig róisín
roisin saoirse seamus séamus siobhan siobhán sinéad sinead
agnieszka andrzej dorota ewa grzegorz jakub joanna kamil katarzyna krzysztof łukasz lukasz małgorzata malgorzata marek
michał michal paweł pawel piotr tomasz wojciech zofia
ahmet ayşe ayse burak can cem elif emre fatma hakan mehmet murat mustafa özlem ozlem selin yusuf zeynep
abdullah ahmad ahmed ali amina amira aisha ayesha fatima fatma hamza hassan hussein ibrahim karim khalid leila leyla
mohamed mohammed mohammad muhammad nadia omar rachid samir sara yasmin yasmine youssef yousef zainab
aarav aditya amit anil anjali arjun deepak divya kavya neha nikhil pooja priya rahul raj rajesh ravi rohan sanjay sunita
vikram
adaeze chidi chinedu chioma emeka femi ifeoma kwame kofi ngozi oluwaseun tunde
dana katrin klara kai-uwe
`;

const ALL = [ENGLISH, FRENCH, GERMAN, SPANISH, ITALIAN, DUTCH, PORTUGUESE, ACROSS_EUROPE].join(' ').split(/\s+/u).filter(Boolean);

/** The same word without accents, so "jose" and "francois" are recognised too. */
export function withoutAccents(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '');
}

export const FIRST_NAMES: ReadonlySet<string> = new Set(ALL.flatMap((name) => [name, withoutAccents(name)]));

/**
 * Names that are also everyday words in one of the six languages (or greetings, months,
 * brands); on their own they are not evidence of a person.
 */
export const AMBIGUOUS_NAMES: ReadonlySet<string> = new Set(
  `
  amber angel april art august bill bob bud buddy candy carol chase cliff crystal daisy dale dawn dean destiny drew eve
  faith grace guy harmony hazel holly hope hunter ivy jack jade jay joy june kit lane liberty lily major mark max may
  melody miles misty olive page pat patience pearl penny rich river robin rock rose ruby rusty sage sandy sky sterling
  storm summer sunny violet will willow wood ray florence victoria georgia virginia grant rob nick chelsea jordan austin can
  cem
  madison lourdes jan dick roger iris hein ken ton till mia viola
  constant prosper blanche marguerite fleur
  ernst kai wolf heide
  rosa luz dolores consuelo amparo pilar mercedes paz sol cruz rosario salvador domingo blanca mar esperanza ángeles
  angeles jesús jesus santiago
  stella speranza felice marina celeste gioia luce
  ben wil roos lieve floor bas cor els puck sem
  `
    .split(/\s+/u)
    .filter(Boolean),
);
