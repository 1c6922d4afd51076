/**
 * Capitalised words that are not names but stand where names stand: after a greeting
 * ("Hi Team"), after "I'm" ("I'm French"), at the start of a sentence, or after a first
 * name ("Thanks Anna Great"). Lowercase.
 */
export const NOT_NAMES: ReadonlySet<string> = new Set(
  `
  i you we they he she it me us him her them my your our their his its this that these those there here what when where why how
  who which whom whose a an the and or but so if then also just not no yes ok okay please sorry thanks thank hello hi hey dear
  regards best cheers kind many warm good great happy sure new re fwd fw ps nb btw asap fyi morning afternoon evening night
  day today tomorrow yesterday all everyone everybody anyone someone team support service customer customers client clients
  colleague colleagues friends friend folks guys sir sirs madam madame monsieur mesdames messieurs mister miss ladies gentlemen
  staff admin administrator manager department office shop store company world there order orders account invoice delivery
  parcel package refund payment card bank email mail phone number address street road city
  monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october
  november december lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin juillet août
  septembre octobre novembre décembre montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz juni juli
  oktober dezember lunes martes miércoles jueves viernes sábado domingo enero febrero marzo abril mayo junio julio agosto
  septiembre octubre noviembre diciembre lunedì martedì mercoledì giovedì venerdì sabato gennaio febbraio aprile maggio giugno
  luglio settembre ottobre dicembre maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari februari maart mei
  augustus
  english french german spanish italian dutch british american european irish scottish welsh canadian australian belgian
  swiss austrian portuguese polish greek swedish danish norwegian finnish chinese japanese indian français française
  allemand allemande anglais anglaise espagnol espagnole italien italienne belge suisse deutsch deutscher deutsche englisch
  französisch spanisch italienisch niederländisch español española inglés inglesa francés francesa alemán alemana italiano
  italiana tedesco tedesca inglese francese spagnolo olandese nederlands nederlandse engels duits frans spaans italiaans
  le la les un une des du de et ou mais donc je tu il elle nous vous ils elles ce cette ces mon ma mes ton ta tes son sa ses
  bonjour bonsoir salut merci oui non cher chère chers chères tous toutes équipe service client clients madame monsieur
  der die das ein eine einer und oder aber ich du er sie es wir ihr mein meine dein deine sein seine hallo danke bitte ja
  nein liebe lieber liebes zusammen alle team kunde kunden kundin herr frau damen herren grüße gruß
  el la los las un una unos unas y o pero yo tú él ella nosotros vosotros ellos mi mis tu tus su sus hola gracias sí no
  querido querida estimado estimada equipo todos todas señor señora señores cliente
  il lo gli le uno una e o ma io tu lui lei noi voi loro mio mia tuo tua suo sua ciao grazie sì caro cara gentile tutti
  signore signora squadra cliente
  de het een en of maar ik jij je hij zij wij jullie mijn jouw zijn haar hoi hallo dank bedankt ja nee beste allemaal
  iedereen klant team meneer mevrouw
  o a os as um uma eu você obrigado obrigada olá bom boa dia senhor senhora equipa cliente
  mr mrs ms mx dr prof mme mlle herrn sr sra srta dhr mevr sig dott
  kundenservice kundendienst kundin kunde service-client apoio atendimento assistenza servizio klantenservice care
  returns billing sales accounts hr it finance shipping logistics
  karteninhaber kontoinhaber inhaber empfänger absender besteller titulaire destinataire titular destinatario intestatario
  rekeninghouder ontvanger
  station airport air airlines airways line lines bridge hall centre center hotel hospital university college school church
  store stores mall market group ltd inc llc plc gmbh ag sa spa srl sl bv nv co corp company foundation club bank
  `
    .split(/\s+/u)
    .filter(Boolean),
);
