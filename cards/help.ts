import { WOORDEN } from '../src/domain/woorden';
import template from './help.json';
import { render } from './render';

export interface HelpCardData {
  title: string;
  intro: string;
  botName: string;
  commands: { command: string; description: string }[];
}

export const COMMANDS: HelpCardData['commands'] = [
  { command: 'verdiep', description: 'Markeer een zaak voor verdieping (ook: nieuwe zaak).' },
  { command: 'zaken', description: 'De open verdiepingszaken van dit team.' },
  { command: `zaak ${WOORDEN.zaaknummer}`, description: 'De zaakkaart van één zaak.' },
  { command: `ketenkaart ${WOORDEN.zaaknummer}`, description: 'Het hele dossier van één zaak: signaal, principes, partners, duiding, besluit, acties en tijdlijn.' },
  { command: `inzage ${WOORDEN.zaaknummer}`, description: 'Wie de inhoud van een zaak heeft bekeken, en wanneer (voor de casusregisseur en officieren).' },
  { command: 'overzicht', description: 'Het overzicht van de verdiepingszaken van dit team: open zaken per fase, verlopen vragen en acties, opvolging deze week.' },
  { command: `${WOORDEN.weekoverzicht} [dag] [tijd]`, description: `Wanneer het ${WOORDEN.weekoverzicht} in het kanaal komt, bijvoorbeeld: ${WOORDEN.weekoverzicht} maandag 08:30. Alleen "${WOORDEN.weekoverzicht}" zegt wanneer het nu komt.` },
  { command: 'mijn acties', description: 'Jouw open acties en de vragen die op jouw antwoord wachten, in de zaken van dit team.' },
  { command: 'leerbeeld [periode]', description: 'Wat terugkomt en wat werkte, voor het verdiepingsoverleg: patronen, hermelding per mix van zorg en straf, dagen tot duiding, overgeslagen stappen, te algemene doelen (standaard de laatste 6 maanden; ook: leerbeeld 3 maanden, leerbeeld 2026).' },
  { command: 'help', description: 'Deze uitleg.' },
];

export function helpCard(botName: string) {
  return render<HelpCardData>(template, { title: 'Verdiep: hulp', intro: '', botName, commands: COMMANDS });
}

export function welcomeCard(botName: string) {
  return render<HelpCardData>(template, {
    title: 'Welkom bij Verdiep',
    intro:
      'Sommige ZSM-zaken vragen meer dan snel afdoen: een kwetsbare jonge verdachte, huiselijk geweld met kinderen, een verward persoon. ' +
      'Met Verdiep markeer je zo’n zaak. De zaak krijgt een eigen zaakgesprek waarin we de leidende principes doorlopen, partners gericht om contextinformatie vragen, samen duiden en een besluit met concrete doelen vastleggen.',
    botName,
    commands: COMMANDS,
  });
}
