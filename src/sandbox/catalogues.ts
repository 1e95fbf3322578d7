/** Read-only tenant catalogues: the same on every tenant, so fixed data rather than config. */

export const PREDEFINED_URL_CATEGORIES = [
  'abortion',
  'abused-drugs',
  'adult',
  'alcohol-and-tobacco',
  'artificial-intelligence',
  'auctions',
  'business-and-economy',
  'command-and-control',
  'computer-and-internet-info',
  'content-delivery-networks',
  'copyright-infringement',
  'cryptocurrency',
  'dating',
  'dynamic-dns',
  'educational-institutions',
  'encrypted-dns',
  'entertainment-and-arts',
  'extremism',
  'financial-services',
  'gambling',
  'games',
  'government',
  'grayware',
  'hacking',
  'health-and-medicine',
  'high-risk',
  'home-and-garden',
  'hunting-and-fishing',
  'insufficient-content',
  'internet-communications-and-telephony',
  'internet-portals',
  'job-search',
  'legal',
  'low-risk',
  'malware',
  'medium-risk',
  'military',
  'motor-vehicles',
  'music',
  'newly-registered-domain',
  'news',
  'not-resolved',
  'nudity',
  'online-storage-and-backup',
  'parked',
  'peer-to-peer',
  'personal-sites-and-blogs',
  'philosophy-and-political-advocacy',
  'phishing',
  'private-ip-addresses',
  'proxy-avoidance-and-anonymizers',
  'questionable',
  'ransomware',
  'real-estate',
  'real-time-detection',
  'recreation-and-hobbies',
  'reference-and-research',
  'religion',
  'scanning-activity',
  'search-engines',
  'sex-education',
  'shareware-and-freeware',
  'shopping',
  'social-networking',
  'society',
  'sports',
  'stock-advice-and-tools',
  'streaming-media',
  'swimsuits-and-intimate-apparel',
  'training-and-tools',
  'translation',
  'travel',
  'unknown',
  'weapons',
  'web-advertisements',
  'web-based-email',
  'web-hosting',
];

const loc = (
  value: string,
  display: string,
  continent: string,
  aggregate_region: string,
  latitude: number,
  longitude: number,
) => ({ value, display, continent, region: value, aggregate_region, latitude, longitude });

export const LOCATIONS = [
  loc('us-east-1', 'US East', 'North America', 'us-southeast', 38.03, -78.48),
  loc('us-west-1', 'US West', 'North America', 'us-west', 37.35, -121.96),
  loc('ca-central-1', 'Canada Central', 'North America', 'ca-central', 43.65, -79.38),
  loc('sa-east-1', 'Brazil South', 'South America', 'sa-east', -23.55, -46.63),
  loc('eu-west-2', 'UK', 'Europe', 'eu-west', 51.51, -0.13),
  loc('eu-central-1', 'Germany Central', 'Europe', 'eu-central', 50.11, 8.68),
  loc('eu-west-3', 'France North', 'Europe', 'eu-west', 48.86, 2.35),
  loc('ap-south-1', 'India West', 'Asia', 'ap-south', 19.08, 72.88),
  loc('ap-southeast-1', 'Singapore', 'Asia', 'ap-southeast', 1.35, 103.82),
  loc('ap-northeast-1', 'Japan Central', 'Asia', 'ap-northeast', 35.68, 139.69),
  loc('ap-southeast-2', 'Australia Southeast', 'Oceania', 'ap-southeast', -33.87, 151.21),
];

export const LICENSE_TYPES = [
  { value: 'FWAAS-AGGREGATE', display: 'Aggregate Bandwidth' },
  { value: 'FWAAS-BYOL', display: 'Bring Your Own License' },
];

export const AGENT_VERSIONS = ['6.3.3', '6.3.2', '6.2.8', '6.2.7', '6.1.6'];

const ca = (name: string, subject: string, serial: string, from: string, to: string) => ({
  name,
  common_name: /CN=([^,]+)/.exec(subject)?.[1] ?? name,
  subject,
  issuer: subject,
  serial_number: serial,
  not_valid_before: from,
  not_valid_after: to,
  expiry_epoch: String(Math.floor(Date.parse(to) / 1000)),
  filename: `${name}.cer`,
});

export const TRUSTED_CAS = [
  ca(
    'Amazon_Root_CA_1',
    'CN=Amazon Root CA 1,O=Amazon,C=US',
    '066C9FCF99BF8C0A39E2F0788A43E696365BCA',
    '2015-05-26T00:00:00Z',
    '2038-01-17T00:00:00Z',
  ),
  ca(
    'DigiCert_Global_Root_G2',
    'CN=DigiCert Global Root G2,OU=www.digicert.com,O=DigiCert Inc,C=US',
    '033AF1E6A711A9A0BB2864B11D09FAE5',
    '2013-08-01T12:00:00Z',
    '2038-01-15T12:00:00Z',
  ),
  ca(
    'GlobalSign_Root_CA_R3',
    'CN=GlobalSign,O=GlobalSign,OU=GlobalSign Root CA - R3',
    '04000000000121585308A2',
    '2009-03-18T10:00:00Z',
    '2029-03-18T10:00:00Z',
  ),
  ca(
    'ISRG_Root_X1',
    'CN=ISRG Root X1,O=Internet Security Research Group,C=US',
    '8210CFB0D240E3594463E0BB63828B00',
    '2015-06-04T11:04:38Z',
    '2035-06-04T11:04:38Z',
  ),
];

/** The rows a catalogue resource serves. */
export function catalogueRows(resource: string): unknown[] {
  switch (resource) {
    case 'location':
      return LOCATIONS;
    case 'licenseType':
      return LICENSE_TYPES;
    case 'mobileAgentAgentVersion':
      return AGENT_VERSIONS;
    case 'urlFilteringCategory':
      return PREDEFINED_URL_CATEGORIES.map((value) => ({ value, type: 'predefined' }));
    case 'trustedCertificateAuthority':
      return TRUSTED_CAS.map((c, i) => ({
        id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
        ...c,
      }));
    default:
      return [];
  }
}
