export * from './core';
export * from './compliance';
export * as k8s from './k8s';
export * as ecs from './ecs';
