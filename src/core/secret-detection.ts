/**
 * SEC-9: which environment variables carry a plaintext secret. One rule for every backend (Kubernetes `env`, ECS
 * `Environment`, Dockerfile `ENV`/`ARG`) and for the constructs' own prop validation.
 *
 * A variable carries a secret when its name denotes a secret value, or its value looks like a credential:
 * - names: the words PASSWORD/PASSWD/PASSPHRASE, SECRET, TOKEN, API_KEY/APIKEY, ACCESS_KEY, PRIVATE_KEY, CREDENTIAL(S),
 *   AUTH(TOKEN) where they stand as words of an `UPPER_SNAKE` name (`HF_TOKEN`, `DB_PASSWORD`, `AWS_SECRET_ACCESS_KEY`); a
 *   name that says it holds a reference to a secret rather than the secret (`*_NAME`, `*_PATH`, `*_FILE`, `*_ARN`, `*_ID`,
 *   `*_URL` without credentials, `*_ENDPOINT`, `*_REF`), and counters and tokenizer settings (`MAX_*_TOKENS`,
 *   `*_TOKENS`, `TOKENIZER_*`), are not secrets;
 * - values: a URL with `user:password@`, `password=…`/`secret=…`/`token=…` pairs, AWS access key ids (`AKIA…`/`ASIA…`),
 *   PEM private-key blocks, bearer/basic authorization headers, GitHub/Hugging Face/Slack/OpenAI-style tokens.
 *
 * Not part of the library's API.
 */

const SECRET_WORDS = new Set(['PASSWORD', 'PASSWD', 'PASSPHRASE', 'PWD', 'SECRET', 'SECRETS', 'TOKEN', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS',
  'AUTHTOKEN', 'PRIVATEKEY']);
const SECRET_WORD_PAIRS = [['API', 'KEY'], ['ACCESS', 'KEY'], ['PRIVATE', 'KEY'], ['SECRET', 'KEY'], ['AUTH', 'TOKEN'], ['CLIENT', 'SECRET']];
/** Suffixes that make a name a reference to a secret, not the secret itself. */
const REFERENCE_SUFFIXES = new Set(['NAME', 'PATH', 'FILE', 'ARN', 'ID', 'REF', 'ENDPOINT', 'URL', 'URI', 'DIR', 'HEADER', 'TYPE', 'LENGTH',
  'TTL', 'EXPIRY', 'TIMEOUT', 'ENABLED', 'MOUNT', 'KEYS', 'TOKENS', 'VERSION']);

const CREDENTIAL_VALUES: Array<{ pattern: RegExp; what: string }> = [
  { pattern: /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, what: 'a URL with user:password@' },
  { pattern: /(^|[\s;&?,])(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key)=[^\s;&]+/i, what: 'a password=/secret=/token= pair' },
  { pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, what: 'an AWS access key id' },
  { pattern: /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/, what: 'a PEM private key' },
  { pattern: /^(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}$/, what: 'an authorization header value' },
  { pattern: /\b(ghp|gho|ghs|ghu|github_pat)_[A-Za-z0-9_]{20,}\b/, what: 'a GitHub token' },
  { pattern: /\bhf_[A-Za-z0-9]{30,}\b/, what: 'a Hugging Face token' },
  { pattern: /\bxox[abpr]-[A-Za-z0-9-]{10,}\b/, what: 'a Slack token' },
  { pattern: /\bsk-[A-Za-z0-9_-]{20,}\b/, what: 'an API secret key (sk-…)' },
];

/**
 * True when an environment variable name denotes a secret value (see the module comment).
 *
 * @internal
 */
export function isSecretName(name: string): boolean {
  const words = name.toUpperCase().split(/[^A-Z0-9]+/).filter((w) => w.length > 0);
  if (words.length === 0) {
    return false;
  }
  const last = words[words.length - 1];
  if (REFERENCE_SUFFIXES.has(last) || words[0] === 'TOKENIZER' || (words[0] === 'MAX' && last.startsWith('TOKEN'))) {
    return false;
  }
  if (words.some((w) => SECRET_WORDS.has(w))) {
    return true;
  }
  return SECRET_WORD_PAIRS.some(([first, second]) => words.some((w, i) => w === first && words[i + 1] === second));
}

/**
 * What credential a value looks like, or undefined when it looks like none.
 *
 * @internal
 */
export function credentialInValue(value: string): string | undefined {
  return CREDENTIAL_VALUES.find(({ pattern }) => pattern.test(value))?.what;
}

/**
 * Why a literal environment variable carries a plaintext secret, or undefined when it does not. An empty value carries none.
 *
 * @internal
 */
export function plaintextSecretProblem(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value.length === 0) {
    return undefined;
  }
  const inValue = credentialInValue(value);
  if (inValue) {
    return `its value holds ${inValue}`;
  }
  return isSecretName(name) ? 'its name denotes a secret and it has a literal value' : undefined;
}
