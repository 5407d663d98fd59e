// The status page's own words (English and Dutch): they ride in its lazy chunk, not in every
// user's page load.
import {formatMessage, type Vars} from '../i18n/message_format';

const en = {
  'page.title': 'Mattermost status',
  'page.loading': 'Loading the status…',
  'page.none': 'No status is available yet: the health check has not reported to you.',
  'page.error': 'The status could not be loaded. Reload the page to try again.',
  'page.allGood': 'Everything works as it should.',
  'page.someDown': 'Some things do not work right now: {services}. The admins are told.',
  'page.checkedAt': 'Last checked {time}',
  'page.service': 'Service',
  'page.state': 'State',
  'page.uptime24h': 'Last 24 h',
  'page.uptime7d': 'Last 7 days',
  'page.since': 'since {time}',
  'page.incidents': 'Incidents',
  'page.incidentOpen': '{services}: not working since {time}.',
  'page.incidentResolved': '{services}: did not work from {from} to {to}.',
  'page.noIncidents': 'No incidents recently.',
  'page.observedMinutes': 'over the {n} min observed',
  'page.observedHours': 'over the {n} h observed',
  'page.observedDays': 'over the {n} days observed',
  'page.history': 'Last 90 days',
  'page.historyLegend': 'A bar a day in your time zone; grey: not observed.',
  'page.dayUptime': '{date}: {uptime} over {hours} h observed',
  'page.dayNone': '{date}: not observed',
  'page.daysAgo': '90 days ago',
  'page.today': 'Today',
  'service.signIn': 'Signing in',
  'service.messages': 'Sending and receiving messages',
  'service.search': 'Search',
  'service.channels': 'Joining channels',
  'service.server': 'The server',
  'service.mobile': 'Mobile notifications',
  'serviceState.operational': 'Working',
  'serviceState.degraded': 'Slow',
  'serviceState.outage': 'Not working',
  'serviceState.unknown': 'Not known yet',
};

export type PageKey = keyof typeof en;

const nl: Record<PageKey, string> = {
  'page.title': 'Status van Mattermost',
  'page.loading': 'De status wordt geladen…',
  'page.none': 'Er is nog geen status: de gezondheidscontrole heeft u nog niets gemeld.',
  'page.error': 'De status kon niet worden geladen. Laad de pagina opnieuw.',
  'page.allGood': 'Alles werkt zoals het hoort.',
  'page.someDown': 'Sommige dingen werken nu niet: {services}. De beheerders weten het.',
  'page.checkedAt': 'Laatst gecontroleerd {time}',
  'page.service': 'Dienst',
  'page.state': 'Toestand',
  'page.uptime24h': 'Laatste 24 u',
  'page.uptime7d': 'Laatste 7 dagen',
  'page.since': 'sinds {time}',
  'page.incidents': 'Storingen',
  'page.incidentOpen': '{services}: werkt niet sinds {time}.',
  'page.incidentResolved': '{services}: werkte niet van {from} tot {to}.',
  'page.noIncidents': 'Geen storingen de laatste tijd.',
  'page.observedMinutes': 'over de {n} min waargenomen',
  'page.observedHours': 'over de {n} u waargenomen',
  'page.observedDays': 'over de {n} dagen waargenomen',
  'page.history': 'Laatste 90 dagen',
  'page.historyLegend': 'Een balk per dag in uw tijdzone; grijs: niet waargenomen.',
  'page.dayUptime': '{date}: {uptime} over {hours} u waargenomen',
  'page.dayNone': '{date}: niet waargenomen',
  'page.daysAgo': '90 dagen geleden',
  'page.today': 'Vandaag',
  'service.signIn': 'Aanmelden',
  'service.messages': 'Berichten versturen en ontvangen',
  'service.search': 'Zoeken',
  'service.channels': 'Kanalen betreden',
  'service.server': 'De server',
  'service.mobile': 'Meldingen op mobiel',
  'serviceState.operational': 'Werkt',
  'serviceState.degraded': 'Traag',
  'serviceState.outage': 'Werkt niet',
  'serviceState.unknown': 'Nog onbekend',
};

export function pageTranslator(locale: string): (key: PageKey, vars?: Vars) => string {
  const lang = locale.split(/[-_]/)[0] === 'nl' ? 'nl' : 'en';
  const table = lang === 'nl' ? nl : en;
  return (key, vars) => formatMessage(lang, table[key], vars);
}
