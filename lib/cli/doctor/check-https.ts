/**
 * Check 8, whether the API has a working TLS binding as far as doctor can tell: when the
 * app terminates TLS itself (Https.Certificate), the certificate and key files load, belong together
 * and are in date. Without a certificate TLS is terminated in front of the app (IIS, a proxy, a load
 * balancer), which doctor cannot see; it says so rather than pretending to have checked it.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type DoctorContext } from './context.js';
import { type DoctorCheck } from './types.js';

const DAY_MS = 86_400_000;
const EXPIRY_WARNING_DAYS = 30;

interface HttpsSettings {
  required: boolean;
  certificate?: { path: string; keyPath: string };
}

function settings(context: DoctorContext): HttpsSettings {
  const https = context.config?.Https;
  if (https) {
    return {
      required: https.Required,
      ...(https.Certificate ? { certificate: { path: https.Certificate.Path, keyPath: https.Certificate.KeyPath } } : {}),
    };
  }
  const required = context.setting(['Https', 'Required']);
  const path = context.setting(['Https', 'Certificate', 'Path']);
  const keyPath = context.setting(['Https', 'Certificate', 'KeyPath']);
  return {
    required: required !== false && String(required).toLowerCase() !== 'false',
    ...(typeof path === 'string' && typeof keyPath === 'string'
      ? { certificate: { path: resolve(context.configDir, path), keyPath: resolve(context.configDir, keyPath) } }
      : {}),
  };
}

function code(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

export function checkHttps(context: DoctorContext): DoctorCheck {
  const base = { id: 'https', title: 'HTTPS' } as const;
  const { required, certificate } = settings(context);
  if (!certificate) {
    if (!required) {
      return {
        ...base,
        status: 'warn',
        detail: 'Https.Required is false: requests over plain HTTP are served, and API keys and session tokens can travel unencrypted',
        fix: 'set Https.Required to true and serve the API over TLS; once HTTPS is required, clients reach the API only through a working TLS binding',
      };
    }
    return {
      ...base,
      status: 'ok',
      detail: 'HTTPS is required; no Https.Certificate is set, so TLS is terminated in front of the app (IIS binding, proxy or load balancer), which doctor cannot check from here',
    };
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(readFileSync(certificate.path));
  } catch (err) {
    return { ...base, status: 'fail', detail: `cannot load the certificate ${certificate.path} (${code(err)})`, fix: 'point Https.Certificate.Path at a readable PEM certificate (chain)' };
  }
  try {
    const key = createPrivateKey(readFileSync(certificate.keyPath));
    if (!cert.checkPrivateKey(key)) {
      return {
        ...base,
        status: 'fail',
        detail: `the private key ${certificate.keyPath} does not belong to the certificate ${certificate.path}`,
        fix: 'use the key the certificate was issued for (a renewed certificate usually comes with a new key)',
      };
    }
  } catch (err) {
    return {
      ...base,
      status: 'fail',
      detail: `cannot load the private key ${certificate.keyPath} (${code(err)})`,
      fix: 'point Https.Certificate.KeyPath at a readable, unencrypted PEM private key',
    };
  }
  const now = Date.now();
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  const names = cert.subjectAltName ? ` (${cert.subjectAltName})` : '';
  const selfSigned = cert.issuer === cert.subject ? '; self-signed, so clients must be told to trust it' : '';
  const what = `certificate ${cert.subject.replace(/\n/g, ', ')}${names}`;
  const until = new Date(to).toISOString().slice(0, 10);
  if (now < from) {
    return { ...base, status: 'fail', detail: `${what} is not valid before ${new Date(from).toISOString()}`, fix: "check the server's clock, or use a certificate that is already valid" };
  }
  if (now > to) {
    return { ...base, status: 'fail', detail: `${what} expired on ${until}`, fix: 'renew the certificate and update Https.Certificate.Path and KeyPath' };
  }
  const days = Math.floor((to - now) / DAY_MS);
  if (days < EXPIRY_WARNING_DAYS) {
    return { ...base, status: 'warn', detail: `${what} expires in ${days} day(s), on ${until}${selfSigned}`, fix: 'renew the certificate before it expires' };
  }
  return { ...base, status: 'ok', detail: `${what} valid until ${until}, and the key matches${selfSigned}` };
}
