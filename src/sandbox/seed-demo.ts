/** The demo tenant's configuration: a small company with a datacenter, partners and branch offices. */
import { CUSTOM_FOLDER, DEMO_SNIPPET, SHARED } from './folders.js';
import type { Position } from './store.js';

export interface SeedObject {
  resource: string;
  container: { folder?: string; snippet?: string } | Record<string, never>;
  position?: Position;
  data: Record<string, unknown>;
}

const out: SeedObject[] = [];
const inShared = { folder: SHARED };
const inBranch = { folder: CUSTOM_FOLDER };
const add = (
  resource: string,
  container: SeedObject['container'],
  data: Record<string, unknown>,
  position?: Position,
) => out.push({ resource, container, data, ...(position ? { position } : {}) });

// Tags
for (const [name, color, comments] of [
  ['Production', 'Red', 'Production workloads'],
  ['Development', 'Green', ''],
  ['Staging', 'Yellow', ''],
  ['PCI', 'Orange', 'In scope for PCI DSS'],
  ['Web', 'Blue', ''],
  ['Database', 'Purple', ''],
  ['Partner', 'Cyan', 'Third-party networks'],
  ['Quarantine', 'Black', 'Applied by auto-tagging to compromised hosts'],
  ['Sanctioned', 'Lime', 'Approved SaaS'],
  ['Branch', 'Azure Blue', ''],
] as const)
  add('tag', inShared, { name, color, ...(comments ? { comments } : {}) });

// Addresses
const host = (name: string, ip: string, tag: string[] = [], description?: string, container = inShared) =>
  add('address', container, {
    name,
    ip_netmask: ip,
    ...(tag.length ? { tag } : {}),
    ...(description ? { description } : {}),
  });
host('web-srv-01', '10.10.1.11/32', ['Production', 'Web'], 'Public web frontend');
host('web-srv-02', '10.10.1.12/32', ['Production', 'Web'], 'Public web frontend');
host('web-srv-03', '10.10.1.13/32', ['Production', 'Web'], 'Public web frontend');
host('app-srv-01', '10.10.2.21/32', ['Production']);
host('app-srv-02', '10.10.2.22/32', ['Production']);
host('db-srv-01', '10.10.3.31/32', ['Production', 'Database', 'PCI'], 'Payments database primary');
host('db-srv-02', '10.10.3.32/32', ['Production', 'Database', 'PCI'], 'Payments database replica');
host('dns-int-01', '10.10.0.53/32');
host('dns-int-02', '10.10.0.54/32');
host('ntp-01', '10.10.0.123/32');
host('monitoring', '10.10.0.200/32', [], 'Monitoring and log collector');
host('backup-srv', '10.10.4.40/32');
host('jump-host', '10.10.9.10/32', ['Production'], 'Admin bastion');
host('legacy-ftp', '10.10.5.5/32', [], 'Scheduled for decommissioning');
host('dc-net', '10.10.0.0/16', ['Production']);
host('dev-net', '10.20.0.0/16', ['Development']);
host('staging-net', '10.30.0.0/16', ['Staging']);
host('vpn-pool', '172.16.0.0/16', [], 'Mobile users address pool');
host('guest-net', '192.168.100.0/24');
host('partner-acme', '198.51.100.0/24', ['Partner'], 'ACME Corp extranet');
host('partner-globex', '203.0.113.0/24', ['Partner'], 'Globex extranet');
add('address', inShared, { name: 'dmz-range', ip_range: '10.10.8.10-10.10.8.50' });
add('address', inShared, { name: 'printers', ip_wildcard: '10.10.7.0/0.0.0.255' });
add('address', inShared, { name: 'mail-relay', fqdn: 'smtp.example.com' });
add('address', inShared, { name: 'crm-saas', fqdn: 'crm.example.com', tag: ['Sanctioned'] });
add('address', inShared, { name: 'erp-saas', fqdn: 'erp.example.net', tag: ['Sanctioned'] });
add('address', inShared, { name: 'sso-idp', fqdn: 'login.example.com' });
host('nyc-lan', '10.50.0.0/24', ['Branch'], 'New York office', inBranch);
host('sfo-lan', '10.51.0.0/24', ['Branch'], 'San Francisco office', inBranch);
host('lon-lan', '10.52.0.0/24', ['Branch'], 'London office', inBranch);
host('branch-pos-net', '10.50.10.0/24', ['Branch', 'PCI'], 'Point-of-sale terminals', inBranch);
add('address', inBranch, { name: 'branch-printers', ip_range: '10.50.0.200-10.50.0.220' });
add('address', { snippet: DEMO_SNIPPET }, { name: 'corp-proxy', fqdn: 'proxy.example.com' });

// Address groups
const group = (name: string, members: string[], tag: string[] = [], container = inShared) =>
  add('addressGroup', container, { name, static: members, ...(tag.length ? { tag } : {}) });
group('web-servers', ['web-srv-01', 'web-srv-02', 'web-srv-03'], ['Web']);
group('app-servers', ['app-srv-01', 'app-srv-02']);
group('db-servers', ['db-srv-01', 'db-srv-02'], ['Database', 'PCI']);
group('dns-servers', ['dns-int-01', 'dns-int-02']);
group('infra-services', ['dns-servers', 'ntp-01', 'monitoring']);
group('partners', ['partner-acme', 'partner-globex'], ['Partner']);
group('datacenter', ['web-servers', 'app-servers', 'db-servers']);
add('addressGroup', inShared, {
  name: 'quarantined-hosts',
  dynamic: { filter: "'Quarantine'" },
  description: 'Hosts tagged by auto-tagging',
});
// Policy cases (issue 10): a dynamic group with a real tag expression, a host it selects, an IPv6 range.
host('infected-laptop', '10.10.6.66/32', ['Quarantine'], 'Tagged by auto-tagging after a malware alert');
add('addressGroup', inShared, {
  name: 'pci-production',
  dynamic: { filter: "'PCI' and ('Production' or 'Branch')" },
  description: 'Everything in PCI scope',
});
add('address', inShared, { name: 'v6-dmz', ip_netmask: '2001:db8:10::/48' });
group('branch-lans', ['nyc-lan', 'sfo-lan', 'lon-lan'], ['Branch'], inBranch);

// Services
const svc = (name: string, proto: 'tcp' | 'udp', port: string, description?: string) =>
  add('service', inShared, {
    name,
    protocol: { [proto]: { port } },
    ...(description ? { description } : {}),
  });
svc('tcp-8080', 'tcp', '8080');
svc('tcp-8443', 'tcp', '8443', 'Partner API');
svc('web-alt', 'tcp', '8000-8099');
svc('ssh-alt', 'tcp', '2222');
svc('syslog-udp', 'udp', '514');
svc('ldap-tcp', 'tcp', '389');
svc('ldaps', 'tcp', '636');
svc('ms-sql', 'tcp', '1433');
add('serviceGroup', inShared, {
  name: 'web-ports',
  members: ['service-http', 'service-https', 'tcp-8080', 'tcp-8443'],
});
add('serviceGroup', inShared, { name: 'directory-services', members: ['ldap-tcp', 'ldaps'] });

// Applications
add('applicationGroup', inShared, {
  name: 'collaboration',
  members: ['ms-teams', 'zoom', 'slack-base', 'webex'],
});
add('applicationGroup', inShared, {
  name: 'file-sharing',
  members: ['box-base', 'dropbox-base', 'ms-onedrive-base'],
});
add('applicationGroup', inShared, { name: 'remote-access', members: ['ssh', 'ms-rdp', 'teamviewer-base'] });
add('applicationFilter', inShared, {
  name: 'high-risk-apps',
  risk: [4, 5],
  category: ['file-sharing', 'remote-access'],
});

// URL filtering, EDLs, profiles, schedules
add('urlCategory', inShared, {
  name: 'Corp-Allowed-Sites',
  type: 'URL List',
  list: ['*.example.com', 'partner.example.org'],
  description: 'Always allowed',
});
add('urlCategory', inShared, {
  name: 'Blocked-Sites',
  type: 'URL List',
  list: ['badsite.example', 'malicious.example.net'],
});
add('externalDynamicList', inShared, {
  name: 'Threat-Intel-IPs',
  type: {
    ip: {
      url: 'https://feeds.example.com/threat-ips.txt',
      recurring: { hourly: {} },
      description: 'Commercial threat feed',
    },
  },
});
add('externalDynamicList', inShared, {
  name: 'Blocked-Domains',
  type: { domain: { url: 'https://feeds.example.com/domains.txt', recurring: { daily: { at: '03' } } } },
});
add('antiSpywareProfile', inShared, { name: 'Strict-AS', description: 'Block every severity' });
const bp = ['best-practice'];
add('profileGroup', inShared, {
  name: 'Corp-Standard',
  spyware: bp,
  vulnerability: bp,
  virus_and_wildfire_analysis: bp,
  url_filtering: bp,
  file_blocking: bp,
  dns_security: bp,
});
add('profileGroup', inShared, {
  name: 'Corp-Strict',
  spyware: ['Strict-AS'],
  vulnerability: bp,
  virus_and_wildfire_analysis: bp,
  url_filtering: bp,
});
add('schedule', inShared, {
  name: 'Business-Hours',
  schedule_type: {
    recurring: {
      weekly: Object.fromEntries(
        ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((d) => [d, ['08:00-18:00']]),
      ),
    },
  },
});

// Security rulebase: Shared pre and post, then the branch folder's own
type Rule = Partial<
  Record<
    'from' | 'to' | 'source' | 'destination' | 'application' | 'service' | 'category' | 'source_user' | 'tag',
    string[]
  >
> & {
  name: string;
  action: string;
  description?: string;
  disabled?: boolean;
  negate_source?: boolean;
  group?: string;
};
const rule = (container: SeedObject['container'], position: Position, r: Rule) => {
  const { group: profile, ...rest } = r;
  add(
    'securityRule',
    container,
    {
      from: ['any'],
      to: ['any'],
      source: ['any'],
      source_user: ['any'],
      destination: ['any'],
      application: ['any'],
      service: ['application-default'],
      category: ['any'],
      ...rest,
      ...(profile ? { profile_setting: { group: [profile] } } : {}),
    },
    position,
  );
};
rule(inShared, 'pre', {
  name: 'Block-Threat-Intel',
  action: 'deny',
  source: ['Threat-Intel-IPs'],
  service: ['any'],
  description: 'Drop traffic from known-bad IPs',
});
rule(inShared, 'pre', {
  name: 'Block-Malicious-URLs',
  action: 'deny',
  category: ['malware', 'phishing', 'command-and-control', 'Blocked-Sites'],
  service: ['any'],
});
rule(inShared, 'pre', {
  name: 'Deny-Quarantined',
  action: 'deny',
  source: ['quarantined-hosts'],
  service: ['any'],
  tag: ['Quarantine'],
});
rule(inShared, 'pre', {
  name: 'Allow-DNS',
  action: 'allow',
  destination: ['dns-servers'],
  application: ['dns'],
});
rule(inShared, 'pre', {
  name: 'Allow-Web-To-DC',
  action: 'allow',
  from: ['untrust'],
  to: ['trust'],
  destination: ['web-servers'],
  application: ['web-browsing', 'ssl'],
  service: ['web-ports'],
  tag: ['Web'],
  group: 'Corp-Standard',
});
rule(inShared, 'pre', {
  name: 'Allow-Web-01-Only',
  action: 'allow',
  from: ['untrust'],
  to: ['trust'],
  destination: ['web-srv-01'],
  application: ['ssl'],
  service: ['service-https'],
  description: 'Redundant: Allow-Web-To-DC above already allows this',
});
rule(inShared, 'pre', {
  name: 'Allow-Partners-API',
  action: 'allow',
  source: ['partners'],
  destination: ['app-servers'],
  application: ['ssl'],
  service: ['tcp-8443'],
  tag: ['Partner'],
  group: 'Corp-Standard',
});
rule(inShared, 'pre', {
  name: 'Deny-Globex-API',
  action: 'deny',
  source: ['partner-globex'],
  destination: ['app-servers'],
  application: ['ssl'],
  service: ['tcp-8443'],
  description: 'Shadowed: Allow-Partners-API above allows this traffic first',
});
rule(inShared, 'pre', {
  name: 'Deny-Non-DC-To-DB',
  action: 'deny',
  source: ['dc-net'],
  negate_source: true,
  destination: ['db-servers'],
  service: ['any'],
  tag: ['PCI'],
  description: 'Only the datacenter reaches the payments databases',
});
rule(inShared, 'pre', {
  name: 'Allow-DMZ-Admin',
  action: 'allow',
  source: ['jump-host'],
  destination: ['dmz-range'],
  application: ['ssh'],
});
rule(inShared, 'pre', {
  name: 'Allow-App-To-DB',
  action: 'allow',
  source: ['app-servers'],
  destination: ['db-servers'],
  application: ['mssql-db'],
  service: ['ms-sql'],
  tag: ['PCI', 'Database'],
  group: 'Corp-Strict',
});
rule(inShared, 'pre', {
  name: 'Allow-Collaboration',
  action: 'allow',
  to: ['untrust'],
  application: ['collaboration'],
  tag: ['Sanctioned'],
  group: 'Corp-Standard',
});
rule(inShared, 'pre', {
  name: 'Allow-Corp-SaaS',
  action: 'allow',
  to: ['untrust'],
  category: ['Corp-Allowed-Sites'],
  application: ['web-browsing', 'ssl'],
  tag: ['Sanctioned'],
});
rule(inShared, 'pre', {
  name: 'Legacy-FTP-Access',
  action: 'allow',
  destination: ['legacy-ftp'],
  application: ['ftp'],
  disabled: true,
  description: 'Disabled pending decommission',
});
rule(inShared, 'post', {
  name: 'Allow-Internet-Browsing',
  action: 'allow',
  from: ['trust'],
  to: ['untrust'],
  application: ['web-browsing', 'ssl'],
  group: 'Corp-Standard',
});
rule(inShared, 'post', {
  name: 'Default-Deny-Log',
  action: 'deny',
  service: ['any'],
  description: 'Log everything not explicitly allowed',
});
rule(inBranch, 'pre', { name: 'Block-File-Sharing', action: 'deny', application: ['file-sharing'] });
rule(inBranch, 'pre', {
  name: 'Branch-To-Datacenter',
  action: 'allow',
  source: ['branch-lans'],
  destination: ['datacenter'],
  tag: ['Branch'],
  group: 'Corp-Standard',
});
rule(inBranch, 'pre', {
  name: 'Branch-POS-To-Payments',
  action: 'allow',
  source: ['branch-pos-net'],
  destination: ['db-servers'],
  application: ['mssql-db'],
  service: ['ms-sql'],
  tag: ['PCI', 'Branch'],
  group: 'Corp-Strict',
});
rule(inBranch, 'pre', {
  name: 'Branch-Guest-Internet',
  action: 'allow',
  source: ['guest-net'],
  to: ['untrust'],
  application: ['web-browsing', 'ssl'],
  group: 'Corp-Standard',
});
rule(inBranch, 'pre', {
  name: 'Temp-Vendor-Access',
  action: 'allow',
  source: ['partner-acme'],
  destination: ['nyc-lan'],
  application: ['ssh'],
  disabled: true,
  description: 'Vendor maintenance window',
});
rule(inBranch, 'post', { name: 'Branch-Default-Deny', action: 'deny', service: ['any'] });
// A dangling reference in the candidate: address "old-proxy-pool" was deleted, this rule still names it (a push
// of this folder fails until it is fixed). Its own folder, so pushes of the others are unaffected.
rule({ folder: 'Mobile Users Explicit Proxy' }, 'pre', {
  name: 'Allow-Legacy-Proxy-Pool',
  action: 'allow',
  source: ['old-proxy-pool'],
  to: ['untrust'],
  application: ['web-browsing', 'ssl'],
});

add(
  'decryptionRule',
  inShared,
  {
    name: 'No-Decrypt-Sensitive',
    action: 'no-decrypt',
    from: ['any'],
    to: ['any'],
    source: ['any'],
    source_user: ['any'],
    destination: ['any'],
    service: ['any'],
    category: ['financial-services', 'health-and-medicine'],
    type: { ssl_forward_proxy: {} },
  },
  'pre',
);

// A branch connected over IPsec
const inRn = { folder: 'Remote Networks' };
add('ikeCryptoProfile', inRn, {
  name: 'Branch-IKE-Crypto',
  encryption: ['aes-256-cbc'],
  hash: ['sha256'],
  dh_group: ['group14'],
  lifetime: { hours: 8 },
});
add('ipsecCryptoProfile', inRn, {
  name: 'Branch-IPSec-Crypto',
  esp: { encryption: ['aes-256-gcm'], authentication: ['sha256'] },
  dh_group: 'group14',
  lifetime: { hours: 1 },
});
add('ikeGateway', inRn, {
  name: 'NYC-IKE-GW',
  authentication: { pre_shared_key: { key: 'demo-pre-shared-key' } },
  peer_address: { ip: '198.51.100.10' },
  protocol: { version: 'ikev2', ikev2: { ike_crypto_profile: 'Branch-IKE-Crypto', dpd: { enable: true } } },
  protocol_common: { nat_traversal: { enable: true } },
});
add('ipsecTunnel', inRn, {
  name: 'NYC-IPSec-Tunnel',
  auto_key: { ike_gateway: [{ name: 'NYC-IKE-GW' }], ipsec_crypto_profile: 'Branch-IPSec-Crypto' },
  anti_replay: true,
  tunnel_monitor: { enable: true, destination_ip: '10.50.0.1' },
});
add('remoteNetwork', inRn, {
  name: 'Branch-NYC',
  region: 'us-east-1',
  license_type: 'FWAAS-AGGREGATE',
  spn_name: 'us-east-burlywood',
  ipsec_tunnel: 'NYC-IPSec-Tunnel',
  subnets: ['10.50.0.0/24', '10.50.10.0/24'],
  protocol: { bgp: { enable: false } },
});

export const DEMO_OBJECTS: readonly SeedObject[] = out;

/** Tenant-wide settings every tenant has, demo or not. */
export const BASE_OBJECTS: readonly SeedObject[] = [
  {
    resource: 'bgpRouting',
    container: {},
    data: {
      backbone_routing: 'no-asymmetric-routing',
      routing_preference: { default: {} },
      accept_route_over_SC: false,
      outbound_routes_for_services: [],
      add_host_route_to_ike_peer: false,
      withdraw_static_route: false,
    },
  },
  {
    resource: 'sharedInfrastructureSettings',
    container: {},
    // Only what PUT takes: a client that reads, merges and writes back must not trip on the seed.
    data: { infrastructure_subnet: '172.30.0.0/16', infra_bgp_as: '65534' },
  },
  {
    resource: 'mobileAgentGlobalSettings',
    container: {},
    data: { agent_version: '6.3.2', manual_gateway: { region: [] } },
  },
  {
    resource: 'mobileAgentLocation',
    container: { folder: 'Mobile Users' },
    data: {
      region: [
        { name: 'north-america', locations: ['us-east-1', 'us-west-1'] },
        { name: 'europe', locations: ['eu-west-2', 'eu-central-1'] },
      ],
    },
  },
];
