// The verdict rule of every control, per backend: exactly when the checker reports each status. The checkers implement this
// text and their doc comments quote it; docs/CONTROLS.md is generated from it. Statuses: enforced (the output proves the
// rule), equivalent, runtime-managed, external, not-applicable, unverified (the output cannot prove it either way: an
// intrinsic, a token, an object or peer the checker cannot see; enforcement fails on it), violated.
import { ControlVerdictRule } from './control';

/** @internal */
export const VERDICT_RULES: Record<string, ControlVerdictRule> = {
  'IMG-1': {
    kubernetes: '',
    ecs: '',
    dockerfile: 'Enforced when every external image the build reads (each FROM, COPY --from and RUN --mount=type=bind|cache,from= that '
      + 'does not name an earlier stage, after ARG substitution with the given build args) is pinned by a sha256 or sha512 '
      + 'digest, and every ADD of a URL has --checksum=sha256:<64 hex> (of a git repository: a full commit id). Violated when one '
      + 'of them has no digest or checksum, or uses an ARG that has no value, so the image cannot be determined. A build from '
      + 'scratch and earlier stages only is enforced.',
  },
  'IMG-2': {
    kubernetes: '',
    ecs: '',
    dockerfile: 'Enforced when no external image (FROM, COPY --from, RUN --mount from=) uses the tag latest or has neither tag nor '
      + 'digest; a digest-only reference passes. Violated when one does, or when the reference is invalid or uses an ARG that has '
      + 'no value.',
  },
  'IMG-3': {
    kubernetes: '',
    ecs: '',
  },
  'IMG-4': {
    kubernetes: '',
    ecs: '',
    dockerfile: 'Enforced when the final stage (or a stage it builds on) has the LABELs org.opencontainers.image.source (a URL), revision '
      + '(7 to 64 lowercase hex), version and created (RFC 3339), literal or through an ARG or ENV declared in the stage; a value '
      + 'left to an ARG without a default is checked when --build-arg gives it and counts as set otherwise. Violated when one is '
      + 'missing, empty, malformed or uses a variable the stage does not declare.',
  },
  'META-1': {
    kubernetes: '',
    ecs: '',
  },
  'META-2': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-1': {
    kubernetes: '',
    ecs: '',
    dockerfile: 'Enforced when the USER in force for the final stage is a numeric UID:GID with both IDs >= 10000 (after ARG '
      + 'substitution). Violated when there is no USER (the base image\'s user, root by default), the user or group is root or 0, '
      + 'an ID is below 10000, or an ARG it uses has no value, or no group is given (USER 10001 runs with GID 0 unless the '
      + 'image\'s /etc/passwd says otherwise). Unverified when the user or group is a name: it maps to an ID through the image\'s '
      + '/etc/passwd or /etc/group, which a Dockerfile does not show.',
  },
  'SEC-2': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-3': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-4': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-5': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-6': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-7': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-8': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-9': {
    kubernetes: '',
    ecs: '',
    dockerfile: 'Violated when an ENV value or ARG default of any stage carries a plaintext secret by the one SEC-9 rule of every '
      + 'backend: a name that denotes a secret value with a literal (or variable) value, or a value that looks like a credential '
      + 'whatever the name (the value never enters the report). Enforced otherwise; an ARG without a default is a build argument '
      + 'and carries nothing into the Dockerfile.',
  },
  'NET-1': {
    kubernetes: '',
    ecs: '',
  },
  'RES-1': {
    kubernetes: '',
    ecs: '',
  },
  'AVL-1': {
    kubernetes: '',
    ecs: '',
  },
  'AVL-2': {
    kubernetes: '',
    ecs: '',
  },
  'AVL-3': {
    kubernetes: '',
    ecs: '',
  },
  'AVL-4': {
    kubernetes: '',
    ecs: '',
  },
  'PRB-1': {
    kubernetes: '',
    ecs: '',
  },
  'JOB-1': {
    kubernetes: '',
    ecs: '',
  },
  'JOB-2': {
    kubernetes: '',
    ecs: '',
  },
  'JOB-3': {
    kubernetes: '',
    ecs: '',
  },
  'LOG-1': {
    kubernetes: '',
    ecs: '',
  },
  'LOG-2': {
    kubernetes: '',
    ecs: '',
  },
  'LOG-3': {
    kubernetes: '',
    ecs: '',
  },
  'LOG-4': {
    kubernetes: '',
    ecs: '',
  },
  'MON-1': {
    kubernetes: '',
    ecs: '',
  },
  'REG-1': {
    kubernetes: '',
    ecs: '',
  },
  'REG-2': {
    kubernetes: '',
    ecs: '',
  },
  'REG-3': {
    kubernetes: '',
    ecs: '',
  },
};
