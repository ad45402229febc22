/* eslint-disable @typescript-eslint/no-explicit-any */
// SEC-9: no credential in a literal environment value of any container.
import { PodView } from './manifest';
import { Finding, verdict } from '../../compliance/finding';
import { plaintextSecretProblem } from '../../core/secret-detection';

/**
 * SEC-9. Rule: "No literal `env[*].value` of any container (init, regular or ephemeral) carries a plaintext secret: its
 * name does not denote a secret value (PASSWORD, SECRET, TOKEN as a word, API_KEY, PRIVATE_KEY, CREDENTIALS; not `*_NAME`,
 * `*_PATH`, `*_FILE`, `*_ARN`, `MAX_*_TOKENS`, `TOKENIZER_*`) and its value does not look like a credential (a URL with
 * user:password@, `password=`, an AWS access key id, a PEM block, a known token format): enforced. `valueFrom.secretKeyRef`
 * and empty values carry none. Otherwise violated, naming the variable (never printing its value)."
 *
 * @internal
 */
export function noPlaintextSecretsInEnv(p: PodView): Finding {
  const bad: string[] = [];
  let literals = 0; let secretRefs = 0;
  for (const { c, path } of p.containers) {
    (Array.isArray(c.env) ? c.env : []).forEach((variable: any, i: number) => {
      if (variable?.valueFrom?.secretKeyRef) {
        secretRefs++;
        return;
      }
      if (typeof variable?.value !== 'string') {
        return;
      }
      literals++;
      const problem = plaintextSecretProblem(String(variable.name ?? ''), variable.value);
      if (problem) {
        bad.push(`${p.ev(`${path}.env[${i}].name`, variable.name)} (${problem})`);
      }
    });
  }
  return verdict('SEC-9', [`${p.kind} ${p.name}: ${literals} literal env value(s), none a secret; ${secretRefs} secretKeyRef reference(s)`], bad);
}
