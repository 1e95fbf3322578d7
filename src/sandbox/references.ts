import { PREDEFINED_URL_CATEGORIES } from './catalogues.js';
import { type ConfigData, containerOf, nameOf, resolveName, type StoredObject } from './store.js';

/** A field of one resource that names other objects. */
export interface RefField {
  /** Dotted path; `[]` after a segment walks an array of objects. */
  path: string;
  targets: string[];
  /** Values that are literals or predefined objects, not references. */
  literal?: (v: string) => boolean;
  /**
   * Unresolved values fail a push. Open fields also take predefined objects the sandbox does not
   * model (App-IDs, predefined crypto profiles), so only a delete checks them.
   */
  closed: boolean;
}

const IPV4 = /^(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?$/;
const IPV4_RANGE = /^(\d{1,3}\.){3}\d{1,3}-(\d{1,3}\.){3}\d{1,3}$/;
/** Rule sources and destinations: any, IP literals, predefined regions (country codes) and EDLs. */
const addressLiteral = (v: string) =>
  v === 'any' ||
  IPV4.test(v) ||
  IPV4_RANGE.test(v) ||
  v.includes(':') ||
  /^[A-Z]{2}$/.test(v) ||
  v.startsWith('panw-');
const PREDEFINED_SERVICES = new Set(['any', 'application-default', 'service-http', 'service-https']);
const serviceLiteral = (v: string) => PREDEFINED_SERVICES.has(v);
const categoryLiteral = (v: string) => v === 'any' || PREDEFINED_URL_CATEGORIES.includes(v);

const ADDRESSES = ['address', 'addressGroup', 'externalDynamicList', 'region'];
const SERVICES = ['service', 'serviceGroup'];
const APPS = ['application', 'applicationGroup', 'applicationFilter'];
const URL_CATEGORIES = ['urlCategory', 'externalDynamicList'];

const ref = (
  path: string,
  targets: string[],
  closed: boolean,
  literal?: (v: string) => boolean,
): RefField => ({
  path,
  targets,
  closed,
  ...(literal ? { literal } : {}),
});

const ruleCommon = [
  ref('source', ADDRESSES, true, addressLiteral),
  ref('destination', ADDRESSES, true, addressLiteral),
  ref('group_tag', ['tag'], true),
];
const hip = [
  ref('source_hip', ['hipProfile'], true, (v) => v === 'any' || v === 'no-hip'),
  ref('destination_hip', ['hipProfile'], true, (v) => v === 'any' || v === 'no-hip'),
];

const REFERENCES: Record<string, RefField[]> = {
  addressGroup: [ref('static', ['address', 'addressGroup'], true)],
  serviceGroup: [ref('members', SERVICES, true, serviceLiteral)],
  applicationGroup: [ref('members', APPS, false)],
  securityRule: [
    ...ruleCommon,
    ...hip,
    ref('service', SERVICES, true, serviceLiteral),
    ref('application', APPS, false),
    ref('category', URL_CATEGORIES, true, categoryLiteral),
    ref('profile_setting.group', ['profileGroup'], true, (v) => v === 'best-practice'),
    ref('source_user', ['dynamicUserGroup'], false),
    ref('schedule', ['schedule'], true),
  ],
  decryptionRule: [
    ...ruleCommon,
    ...hip,
    ref('service', SERVICES, true, serviceLiteral),
    ref('category', URL_CATEGORIES, true, categoryLiteral),
    ref('profile', ['decryptionProfile'], false),
  ],
  appOverrideRule: [...ruleCommon, ref('application', APPS, false)],
  authenticationRule: [
    ...ruleCommon,
    ...hip,
    ref('service', SERVICES, true, serviceLiteral),
    ref('category', URL_CATEGORIES, true, categoryLiteral),
    ref('hip_profiles', ['hipProfile'], true),
  ],
  qosPolicyRule: [ref('schedule', ['schedule'], true)],
  trafficSteeringRule: [
    ref('source', ADDRESSES, true, addressLiteral),
    ref('destination', ADDRESSES, true, addressLiteral),
    ref('service', SERVICES, true, serviceLiteral),
    ref('category', URL_CATEGORIES, true, categoryLiteral),
  ],
  profileGroup: [
    ref('spyware', ['antiSpywareProfile'], false),
    ref('vulnerability', ['vulnerabilityProtectionProfile'], false),
    ref('virus_and_wildfire_analysis', ['wildfireAntivirusProfile'], false),
    ref('url_filtering', ['urlAccessProfile'], false),
    ref('file_blocking', ['fileBlockingProfile'], false),
    ref('dns_security', ['dnsSecurityProfile'], false),
  ],
  remoteNetwork: [
    ref('ipsec_tunnel', ['ipsecTunnel'], true),
    ref('secondary_ipsec_tunnel', ['ipsecTunnel'], true),
    ref('ecmp_tunnels[].ipsec_tunnel', ['ipsecTunnel'], true),
  ],
  serviceConnection: [
    ref('ipsec_tunnel', ['ipsecTunnel'], true),
    ref('secondary_ipsec_tunnel', ['ipsecTunnel'], true),
  ],
  ipsecTunnel: [
    ref('auto_key.ike_gateway[].name', ['ikeGateway'], true),
    ref('auto_key.ipsec_crypto_profile', ['ipsecCryptoProfile'], false),
  ],
  ikeGateway: [
    ref('protocol.ikev1.ike_crypto_profile', ['ikeCryptoProfile'], false),
    ref('protocol.ikev2.ike_crypto_profile', ['ikeCryptoProfile'], false),
  ],
  authenticationSequence: [ref('authentication_profiles', ['authenticationProfile'], true)],
  localUserGroup: [ref('user', ['localUser'], true)],
  tlsServiceProfile: [ref('certificate', ['certificate'], false)],
  certificateProfile: [ref('ca_certificates[].name', ['certificate'], false)],
};

/** Every object may carry tags. */
const TAGS = ref('tag', ['tag'], true);

export const refFieldsOf = (resource: string): RefField[] => [
  ...(resource === 'tag' ? [] : [TAGS]),
  ...(REFERENCES[resource] ?? []),
];

/** The strings at `path` (a string field, a list of strings, or through arrays of objects). */
export function valuesAt(data: unknown, path: string): string[] {
  const [head, ...rest] = path.split('.');
  if (head === undefined || data === null || typeof data !== 'object') return [];
  const isList = head.endsWith('[]');
  const value = (data as Record<string, unknown>)[isList ? head.slice(0, -2) : head];
  if (rest.length === 0) {
    if (typeof value === 'string') return [value];
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }
  const next = rest.join('.');
  if (isList) return Array.isArray(value) ? value.flatMap((v) => valuesAt(v, next)) : [];
  return valuesAt(value, next);
}

/** Renames `from` to `to` at `path`; returns whether anything changed. */
export function renameAt(data: unknown, path: string, from: string, to: string): boolean {
  const [head, ...rest] = path.split('.');
  if (head === undefined || data === null || typeof data !== 'object') return false;
  const obj = data as Record<string, unknown>;
  const isList = head.endsWith('[]');
  const key = isList ? head.slice(0, -2) : head;
  const value = obj[key];
  if (rest.length === 0) {
    if (value === from) obj[key] = to;
    else if (Array.isArray(value) && value.includes(from)) obj[key] = value.map((v) => (v === from ? to : v));
    else return false;
    return true;
  }
  const next = rest.join('.');
  if (isList) return Array.isArray(value) && value.map((v) => renameAt(v, next, from, to)).some(Boolean);
  return renameAt(value, next, from, to);
}

export const kebab = (resource: string) => resource.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export interface Referrer {
  resource: string;
  object: StoredObject;
  field: RefField;
}

/** Objects whose fields resolve to `target` (by name, through their folder chain). */
export function referrersOf(
  config: ConfigData,
  chainOf: (container: string) => string[],
  resource: string,
  target: StoredObject,
): Referrer[] {
  const name = nameOf(target);
  if (name === undefined) return [];
  const out: Referrer[] = [];
  for (const [other, objects] of Object.entries(config)) {
    const fields = refFieldsOf(other).filter((f) => f.targets.includes(resource));
    if (!fields.length) continue;
    for (const object of objects) {
      if (object.id === target.id) continue;
      const chain = chainOf(containerOf(object));
      if (!chain.includes(containerOf(target))) continue;
      for (const field of fields) {
        if (!valuesAt(object.data, field.path).includes(name)) continue;
        if (resolveName(config, field.targets, chain, name)?.object.id === target.id)
          out.push({ resource: other, object, field });
      }
    }
  }
  return out;
}

/** How SCM spells where a reference sits: ` container -> Shared -> security-rule -> Allow-Web -> source`. */
export const refPath = (r: Referrer) =>
  ` container -> ${containerOf(r.object) || 'tenant'} -> ${kebab(r.resource)} -> ${nameOf(r.object) ?? r.object.id} -> ${r.field.path.replace(/\[\]/g, '')}`;

/** References in `containers` that name nothing: what makes a push fail validation. */
export function danglingReferences(
  config: ConfigData,
  chainOf: (container: string) => string[],
  containers: Set<string>,
): string[] {
  const errors: string[] = [];
  for (const [resource, objects] of Object.entries(config)) {
    const fields = refFieldsOf(resource).filter((f) => f.closed);
    for (const object of objects) {
      if (!containers.has(containerOf(object))) continue;
      const chain = chainOf(containerOf(object));
      for (const field of fields) {
        for (const value of valuesAt(object.data, field.path)) {
          if (field.literal?.(value) || resolveName(config, field.targets, chain, value)) continue;
          errors.push(
            `${containerOf(object) || 'tenant'} -> ${kebab(resource)} -> ${nameOf(object) ?? object.id} -> ${field.path.replace(/\[\]/g, '')}: '${value}' is not a valid reference`,
          );
        }
      }
    }
  }
  return errors;
}
