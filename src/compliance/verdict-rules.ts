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
    dockerfile: '',
  },
  'IMG-2': {
    kubernetes: '',
    ecs: '',
    dockerfile: '',
  },
  'IMG-3': {
    kubernetes: '',
    ecs: '',
  },
  'IMG-4': {
    kubernetes: '',
    ecs: '',
    dockerfile: '',
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
    dockerfile: '',
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
    dockerfile: '',
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
