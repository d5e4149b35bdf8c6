/* i18n.js: every string of the dashboard in English and Khmer, and numbers
   and dates formatted for the chosen language (Khmer digits in Khmer). */
'use strict';
const STRINGS = {
  en: {
    'why:elected': 'elected', 'why:redistribution': 'redistribution', 'why:replacement': 'replacement',
    'why:defection': 'defection', 'why:resign': 'resignation', 'why:die': 'death', 'why:remove': 'removal',
    'why:expel': 'expulsion', 'why:defect': 'defection', 'why:dissolve': 'dissolution',
    'why:party-dissolved': 'party dissolved', 'why:next-candidate': 'next candidate of the same list',
    'why:next-councillor': 'next sitting councillor of the list',
    'why:redistributed-seat': 'redistributed seat of a dissolved party',
    'why:posts-after-dissolution': 'posts derived again after the dissolution',
    'why:posts-after-redistribution': 'posts derived again after the redistribution',
    'why:defector-keeps-seat': 'the defector keeps the seat',
    app: 'khum', skip: 'Skip to content', overview: 'Overview', map: 'Map', parties: 'Parties',
    entry: 'Data entry', search: 'Search', searchHint: 'Place or person (Latin or ខ្មែរ)', tie: 'Tie settled by', suggestions: 'Suggestions',
    loading: 'Loading…', footer: 'khum: results, councils and their changes; every table can be downloaded as CSV.',
    synthetic: 'SYNTHETIC DATA: invented results for demonstration, not a real election',
    election: 'Election', hash: 'election hash', official: 'official', provisional: 'provisional',
    registered: 'Registered voters', cast: 'Ballots cast', turnout: 'Turnout', valid: 'Valid ballots',
    invalid: 'Invalid ballots', blank: 'Blank ballots', forms: 'Forms reported', seats: 'Seats', votes: 'Votes', share: 'Share',
    chiefs: 'Communes won (chief)', party: 'Party', area: 'Area', name: 'Name', stations: 'Stations',
    nation: 'Nation', province: 'Province', district: 'District', commune: 'Commune', station: 'Station',
    provinces: 'Provinces', districts: 'Districts', communes: 'Communes', seatChart: 'Seats per party',
    downloadCsv: 'Download CSV', noCouncilsYet: 'No council yet: the results are not official', of: 'of', stationsReported: 'stations reported', asOf: 'figures as of', noSuchParty: 'No such party', dissolvedWord: 'dissolved', dissolvedOn: 'Dissolved on', approxPlace: 'placed at its district (approximate)', approxCount: 'placed at their district (no centroid of their own, hollow)', unplacedCount: 'not on the map (no centroid at all)', communesLower: 'communes', worklist: 'To do', worklistEmpty: 'Nothing waits for you', reason: 'Reason', reasonNeeded: 'Say why (the audit log keeps it)', council: 'Council', councilOn: 'Council on', mandateEnded: 'The mandate ended on', post: 'Post', since: 'Since', why: 'Why',
    chief: 'Chief', 'first-deputy': 'First deputy', 'second-deputy': 'Second deputy', councillor: 'Councillor', none: '',
    timeline: 'Changes during the mandate', date: 'Date', what: 'What', detail: 'Detail',
    allocation: 'Seat allocation', quota: 'Quota', step: 'Seat', kind: 'By', value: 'Votes ÷ quota, or average',
    runnerUp: 'Best loser', margins: 'Closest contest', votesToMove: 'votes to move the last seat',
    form: 'Form', state: 'State', person: 'Person', list: 'List',
    partyPage: 'Party', overTime: 'Seats and chiefs over the mandate', defections: 'Defections by month',
    month: 'Month', joined: 'Joined', left: 'Left', mapTitle: 'Communes by the party of their chief',
    mapHint: 'Move the date to replay the mandate; select a commune to open it.', onDate: 'On',
    login: 'Log in', logout: 'Log out', user: 'User', password: 'Password', loggedAs: 'Logged in as',
    stationCode: 'Station code', open: 'Open', submitEntry: 'Save entry', received: 'Ballots received',
    spoiled: 'Spoiled', unused: 'Unused', entryFirst: 'First entry', entrySecond: 'Second entry',
    keepFirst: 'Keep first', keepSecond: 'Keep second', rekeyFirst: 'Key first again', rekeySecond: 'Key second again',
    explain: 'Explain', explanation: 'Explanation', checks: 'Checks', noChecks: 'No check fails.',
    'empty': 'not entered', 'first-entered': 'first entry done', 'entries-different': 'entries differ',
    'needs-explanation': 'needs an explanation', 'accepted': 'accepted (provisional)', 'official-state': 'official',
    notFound: 'Not found', error: 'Error', protocolNote: 'Exact values (a quota seat: votes ÷ quota; then the highest average); ties settled by the rule set, then by recorded lots.',
    searchNone: 'No commune matches.', total: 'Total',
    pendingLots: 'Waiting for lots (a tie in votes decides)', event: 'event',
    seatsLower: 'seats', votesLower: 'votes', seatsOverTime: 'Seats per party over the mandate',
    chiefsOverTime: 'Chiefs per party over the mandate', breadcrumbs: 'Breadcrumbs',
    rlaTitle: 'Risk-limiting audit', rlaRisk: 'Risk limit', rlaSeed: 'seed', rlaNoSeed: 'no seed recorded yet',
    rlaMode: 'measured by', rlaConfirmed: 'Confirmed', rlaProgress: 'In progress', rlaEscalated: 'To escalate',
    rlaFull: 'Full hand count', rlaStage: 'Stage', rlaSample: 'Sample', rlaRead: 'Read', rlaBallots: 'Ballots',
    rlaP: 'Largest p-value', rlaReadOf: 'ballots read of a sample of', rlaInBox: 'in the boxes', rlaRounds: 'rounds',
    rlaKind: 'Assertion', rlaWinner: 'Winner', rlaLoser: 'Loser', rlaMargin: 'Margin', rlaDiluted: 'Diluted margin',
    rlaBinding: 'Binding',
    'rla:not-started': 'not started', 'rla:reading': 'reading the sample', 'rla:escalate': 'escalate: draw another round',
    'rla:confirmed': 'confirmed', 'rla:full-count': 'full hand count', 'rla:no-audit': 'no audit: full hand count',
    'rla:polling': 'ballot polling', 'rla:oneaudit': 'ONEAudit, against the station forms',
  },
  km: {
    'w:quota': 'កូតា', 'w:average': 'មធ្យមភាគ', 'w:remainder': 'សំណល់', 'w:left': 'ចេញ',
    'w:seated': 'ចូលកាន់អាសនៈ', 'w:post': 'តួនាទី', 'w:party': 'ប្តូរគណបក្ស', 'w:elected': 'ជាប់ឆ្នោត',
    'w:redistribution': 'ការបែងចែកឡើងវិញ', 'w:replacement': 'អ្នកជំនួស', 'w:party dissolved': 'គណបក្សត្រូវរំលាយ',
    'w:redistributed seat of a dissolved party': 'អាសនៈបែងចែកឡើងវិញនៃគណបក្សដែលត្រូវរំលាយ',
    'w:posts derived again after the dissolution': 'តួនាទីកំណត់ឡើងវិញក្រោយការរំលាយ',
    'w:order-only': 'លំដាប់ប៉ុណ្ណោះ', 'w:more-votes': 'សំឡេងច្រើនជាង', 'w:lot': 'ចាប់ឆ្នោត',
    'why:elected': 'ជាប់ឆ្នោត', 'why:redistribution': 'ការបែងចែកឡើងវិញ', 'why:replacement': 'អ្នកជំនួស',
    'why:defection': 'ការប្តូរគណបក្ស', 'why:resign': 'ការលាលែង', 'why:die': 'មរណភាព', 'why:remove': 'ការដកចេញ',
    'why:expel': 'ការបណ្តេញចេញ', 'why:defect': 'ការប្តូរគណបក្ស', 'why:dissolve': 'ការរំលាយ',
    'why:party-dissolved': 'គណបក្សត្រូវរំលាយ', 'why:next-candidate': 'បេក្ខជនបន្ទាប់នៃបញ្ជីដដែល',
    'why:next-councillor': 'សមាជិកក្រុមប្រឹក្សាបន្ទាប់នៃបញ្ជី',
    'why:redistributed-seat': 'អាសនៈបែងចែកឡើងវិញនៃគណបក្សដែលត្រូវរំលាយ',
    'why:posts-after-dissolution': 'តួនាទីកំណត់ឡើងវិញក្រោយការរំលាយ',
    'why:posts-after-redistribution': 'តួនាទីកំណត់ឡើងវិញក្រោយការបែងចែកឡើងវិញ',
    'why:defector-keeps-seat': 'អ្នកប្តូរគណបក្សរក្សាអាសនៈ',
    app: 'khum', skip: 'រំលងទៅខ្លឹមសារ', overview: 'ទិដ្ឋភាពទូទៅ', map: 'ផែនទី', parties: 'គណបក្ស',
    entry: 'បញ្ចូលទិន្នន័យ', search: 'ស្វែងរក', searchHint: 'ទីកន្លែង ឬ បុគ្គល (ខ្មែរ ឬ Latin)', tie: 'ការស្មើគ្នាដោះស្រាយដោយ', suggestions: 'ការណែនាំ',
    loading: 'កំពុងផ្ទុក…', footer: 'khum៖ លទ្ធផល ក្រុមប្រឹក្សា និងការផ្លាស់ប្តូរ។ តារាងនីមួយៗអាចទាញយកជា CSV។',
    synthetic: 'ទិន្នន័យសិប្បនិម្មិត៖ លទ្ធផលប្រឌិតសម្រាប់បង្ហាញ មិនមែនការបោះឆ្នោតពិតទេ',
    election: 'ការបោះឆ្នោត', hash: 'ហាស់នៃការបោះឆ្នោត', official: 'ផ្លូវការ', provisional: 'បណ្ដោះអាសន្ន',
    registered: 'អ្នកបោះឆ្នោតចុះឈ្មោះ', cast: 'សន្លឹកឆ្នោតបានបោះ', turnout: 'អត្រាចូលរួម', valid: 'សន្លឹកឆ្នោតត្រឹមត្រូវ',
    invalid: 'សន្លឹកឆ្នោតមិនត្រឹមត្រូវ', blank: 'សន្លឹកឆ្នោតទទេ', forms: 'លទ្ធផលការិយាល័យបានទទួល', seats: 'អាសនៈ', votes: 'សំឡេងឆ្នោត', share: 'ភាគរយ',
    chiefs: 'ឃុំដែលឈ្នះ (មេឃុំ)', party: 'គណបក្ស', area: 'តំបន់', name: 'ឈ្មោះ', stations: 'ការិយាល័យ',
    nation: 'ថ្នាក់ជាតិ', 'country:KH': 'កម្ពុជា', province: 'ខេត្ត', district: 'ស្រុក', commune: 'ឃុំ', station: 'ការិយាល័យបោះឆ្នោត',
    provinces: 'ខេត្ត', districts: 'ស្រុក', communes: 'ឃុំ', seatChart: 'អាសនៈតាមគណបក្ស',
    downloadCsv: 'ទាញយក CSV', noCouncilsYet: 'មិនទាន់មានក្រុមប្រឹក្សាទេ៖ លទ្ធផលមិនទាន់ជាផ្លូវការ', of: 'នៃ', stationsReported: 'ការិយាល័យបោះឆ្នោតបានរាយការណ៍', asOf: 'តួលេខគិតត្រឹម', noSuchParty: 'គ្មានគណបក្សនេះទេ', dissolvedWord: 'ត្រូវបានរំលាយ', dissolvedOn: 'ត្រូវបានរំលាយនៅថ្ងៃ', approxPlace: 'ដាក់នៅកណ្តាលស្រុក (ប្រហាក់ប្រហែល)', approxCount: 'ដាក់នៅកណ្តាលស្រុក (គ្មានទីតាំងផ្ទាល់ខ្លួន)', unplacedCount: 'មិនមាននៅលើផែនទី', communesLower: 'ឃុំ', worklist: 'ការងារត្រូវធ្វើ', worklistEmpty: 'គ្មានអ្វីរង់ចាំអ្នកទេ', reason: 'មូលហេតុ', reasonNeeded: 'សូមបញ្ជាក់មូលហេតុ (កំណត់ហេតុសវនកម្មរក្សាទុក)', council: 'ក្រុមប្រឹក្សាឃុំ', councilOn: 'ក្រុមប្រឹក្សានៅថ្ងៃ', mandateEnded: 'អាណត្តិបានបញ្ចប់នៅថ្ងៃ', post: 'តួនាទី', since: 'ចាប់ពី', why: 'មូលហេតុ',
    chief: 'មេឃុំ', 'first-deputy': 'ជំទប់ទី១', 'second-deputy': 'ជំទប់ទី២', councillor: 'សមាជិកក្រុមប្រឹក្សា', none: '',
    timeline: 'ការផ្លាស់ប្តូរក្នុងអាណត្តិ', date: 'កាលបរិច្ឆេទ', what: 'អ្វី', detail: 'ព័ត៌មានលម្អិត',
    allocation: 'ការបែងចែកអាសនៈ', quota: 'កូតា', step: 'អាសនៈ', kind: 'តាម', value: 'សំឡេង ÷ កូតា ឬ មធ្យមភាគ',
    runnerUp: 'អ្នកចាញ់ជិតបំផុត', margins: 'ការប្រកួតជិតបំផុត', votesToMove: 'សំឡេងដើម្បីផ្លាស់អាសនៈចុងក្រោយ',
    form: 'សន្លឹកលទ្ធផល', state: 'ស្ថានភាព', person: 'បុគ្គល', list: 'បញ្ជី',
    partyPage: 'គណបក្ស', overTime: 'អាសនៈ និងមេឃុំ ក្នុងអាណត្តិ', defections: 'ការប្តូរគណបក្សតាមខែ',
    month: 'ខែ', joined: 'ចូល', left: 'ចេញ', mapTitle: 'ឃុំតាមគណបក្សរបស់មេឃុំ',
    mapHint: 'ផ្លាស់ទីកាលបរិច្ឆេទ ដើម្បីមើលអាណត្តិឡើងវិញ ជ្រើសឃុំដើម្បីបើក។', onDate: 'នៅថ្ងៃ',
    login: 'ចូល', logout: 'ចាកចេញ', user: 'អ្នកប្រើ', password: 'ពាក្យសម្ងាត់', loggedAs: 'បានចូលជា',
    stationCode: 'លេខកូដការិយាល័យ', open: 'បើក', submitEntry: 'រក្សាទុក', received: 'សន្លឹកឆ្នោតបានទទួល',
    spoiled: 'សន្លឹកខូច', unused: 'សន្លឹកមិនបានប្រើ', entryFirst: 'ការបញ្ចូលទី១', entrySecond: 'ការបញ្ចូលទី២',
    keepFirst: 'យកទី១', keepSecond: 'យកទី២', rekeyFirst: 'បញ្ចូលទី១ម្តងទៀត', rekeySecond: 'បញ្ចូលទី២ម្តងទៀត',
    explain: 'ពន្យល់', explanation: 'ការពន្យល់', checks: 'ការត្រួតពិនិត្យ', noChecks: 'គ្មានកំហុស។',
    'empty': 'មិនទាន់បញ្ចូល', 'first-entered': 'បានបញ្ចូលលើកទី១', 'entries-different': 'ការបញ្ចូលខុសគ្នា',
    'needs-explanation': 'ត្រូវការការពន្យល់', 'accepted': 'ទទួលយក (បណ្ដោះអាសន្ន)', 'official-state': 'ផ្លូវការ',
    notFound: 'រកមិនឃើញ', error: 'កំហុស', protocolNote: 'ផលចែកពិតប្រាកដ ការស្មើគ្នាដោះស្រាយតាមច្បាប់ បន្ទាប់មកដោយការចាប់ឆ្នោត។',
    searchNone: 'គ្មានឃុំត្រូវនឹងការស្វែងរក។', total: 'សរុប',
    pendingLots: 'រង់ចាំការចាប់ឆ្នោត (សំឡេងស្មើគ្នា)', event: 'ព្រឹត្តិការណ៍',
    seatsLower: 'អាសនៈ', votesLower: 'សំឡេងឆ្នោត', seatsOverTime: 'អាសនៈតាមគណបក្ស ក្នុងអាណត្តិ',
    chiefsOverTime: 'មេឃុំតាមគណបក្ស ក្នុងអាណត្តិ', breadcrumbs: 'ផ្លូវរុករក',
    rlaTitle: 'សវនកម្មកំណត់ហានិភ័យ', rlaRisk: 'កម្រិតហានិភ័យ', rlaSeed: 'លេខគ្រាប់ពូជ', rlaNoSeed: 'មិនទាន់កត់ត្រាលេខគ្រាប់ពូជ',
    rlaMode: 'វាស់ដោយ', rlaConfirmed: 'បានបញ្ជាក់', rlaProgress: 'កំពុងដំណើរការ', rlaEscalated: 'ត្រូវពង្រីក',
    rlaFull: 'រាប់ដោយដៃទាំងស្រុង', rlaStage: 'ដំណាក់កាល', rlaSample: 'គំរូ', rlaRead: 'បានអាន', rlaBallots: 'សន្លឹកឆ្នោត',
    rlaP: 'តម្លៃ p ធំបំផុត', rlaReadOf: 'សន្លឹកឆ្នោតបានអាន ក្នុងគំរូចំនួន', rlaInBox: 'ក្នុងហិបឆ្នោត', rlaRounds: 'ជុំ',
    rlaKind: 'ការអះអាង', rlaWinner: 'អ្នកឈ្នះ', rlaLoser: 'អ្នកចាញ់', rlaMargin: 'គម្លាត', rlaDiluted: 'គម្លាតធៀបនឹងសន្លឹកឆ្នោតទាំងអស់',
    rlaBinding: 'តឹងបំផុត',
    'rla:not-started': 'មិនទាន់ចាប់ផ្តើម', 'rla:reading': 'កំពុងអានគំរូ', 'rla:escalate': 'ពង្រីក៖ ចាប់ជុំថ្មី',
    'rla:confirmed': 'បានបញ្ជាក់', 'rla:full-count': 'រាប់ដោយដៃទាំងស្រុង', 'rla:no-audit': 'គ្មានសវនកម្ម៖ រាប់ដោយដៃទាំងស្រុង',
    'rla:polling': 'ការស្ទង់សន្លឹកឆ្នោត', 'rla:oneaudit': 'ONEAudit ធៀបនឹងទម្រង់ការិយាល័យបោះឆ្នោត',
  },
};

const I18N = {
  lang: localStorage.getItem('khum-lang') === 'km' ? 'km' : 'en',
  t(key) { return (STRINGS[this.lang] && STRINGS[this.lang][key]) ?? STRINGS.en[key] ?? key; },
  /* Khmer digits by mapping, not by Intl: a browser without Khmer locale
     data (Chromium's trimmed ICU) would print Latin digits otherwise. */
  digits(text) { return this.lang === 'km' ? String(text).replace(/[0-9]/g, d => '០១២៣៤៥៦៧៨៩'[d]) : String(text); },
  /* The other way, whatever the page's language: a clerk on a Khmer keyboard
     keys ១២៣ for 123, or mixes both; anything else stays as typed. */
  latin(text) { return String(text).replace(/[០-៩]/g, d => String(d.charCodeAt(0) - 0x17E0)); },
  num(n, digits) {
    if (n === null || n === undefined || n === '' || Number.isNaN(Number(n))) return '';
    const opts = digits === undefined ? {} : {minimumFractionDigits: digits, maximumFractionDigits: digits};
    return this.digits(new Intl.NumberFormat('en-GB', opts).format(n));
  },
  pct(part, whole) { return whole ? this.num(100 * part / whole, 2) + ' %' : ''; },
  months: {
    en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
    km: ['មករា', 'កុម្ភៈ', 'មីនា', 'មេសា', 'ឧសភា', 'មិថុនា', 'កក្កដា', 'សីហា', 'កញ្ញា', 'តុលា', 'វិច្ឆិកា', 'ធ្នូ'],
  },
  date(iso) {
    if (!iso) return '';
    const [y, m, d] = iso.split('-').map(Number);
    return this.digits(`${d} ${this.months[this.lang][m - 1]} ${y}`);
  },
  month(ym) {
    const [y, m] = ym.split('-').map(Number);
    return this.digits(`${this.months[this.lang][m - 1]} ${y}`);
  },
  /* A reason by its code from the API (why_code, post_why_code,
     detail_code) in the page's language; its text as given otherwise. */
  reason(code, text) { return (code && (this.t('why:' + code) !== 'why:' + code)) ? this.t('why:' + code) : (text || ''); },
  /* A code from the data (a protocol step, a change) in words, when known. */
  word(code) { return (STRINGS[this.lang] && STRINGS[this.lang]['w:' + code]) || code; },
  set(lang) {
    this.lang = lang;
    localStorage.setItem('khum-lang', lang);
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-i18n]').forEach(el => { el.textContent = this.t(el.dataset.i18n); });
    document.querySelectorAll('[data-i18n-placeholder]').forEach(el => { el.placeholder = this.t(el.dataset.i18nPlaceholder); });
    document.querySelectorAll('[data-i18n-label]').forEach(el => { el.setAttribute('aria-label', this.t(el.dataset.i18nLabel)); });
  },
};
