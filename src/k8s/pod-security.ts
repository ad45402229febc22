import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { refuseToken } from '../core/bounds';
import { WorkloadDefaults } from '../core/defaults';
import { propError, requireInteger } from '../core/errors';

/**
 * Validates a UID or GID: an integer of at least 10000 (SEC-1; kube-score flags lower IDs).
 *
 * @internal
 */
export function validateUserId(scope: IConstruct, prop: string, value: number | undefined): number {
  const id = value ?? WorkloadDefaults.RUN_AS_USER;
  refuseToken(scope, prop, id, `a number (an ID in ${WorkloadDefaults.MIN_USER_ID}..2147483647)`);
  if (Number.isInteger(id) && id < WorkloadDefaults.MIN_USER_ID) {
    throw propError(scope, prop, id, `must be at least ${WorkloadDefaults.MIN_USER_ID} (SEC-1: low IDs collide with host users)`,
      `use ${WorkloadDefaults.RUN_AS_USER} or another ID >= ${WorkloadDefaults.MIN_USER_ID} and build the image with that numeric USER`);
  }
  return requireInteger(scope, prop, id, WorkloadDefaults.MIN_USER_ID, 2147483647);
}

/**
 * The pod-level security context: non-root with fixed IDs, seccomp RuntimeDefault (SEC-1, SEC-4).
 *
 * @internal
 */
export function podSecurityContext(user: number, group: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: group,
    fsGroup: group,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * The container security context every container gets, sidecars included: no escalation, not privileged, ALL capabilities
 * dropped, read-only root filesystem (SEC-1, SEC-2, SEC-3, SEC-5, SEC-6).
 *
 * @internal
 */
export function containerSecurityContext(user: number, group: number, readOnlyRootFilesystem: boolean): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem,
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: group,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
