// The `cdk-compliant-ml/k8s` entry point (package.json `exports`): the platform-neutral types and the Kubernetes (cdk8s) backend,
// without the ECS modules, so a cdk8s-only app needs no aws-cdk-lib installed. core/ and compliance/ import neither framework;
// the k8s backend plugs its report collector into compliance/collector.ts when it loads. The root (src/index.ts) keeps exporting
// both backends for jsii; this file is not part of the jsii assembly.
export * from '../core';
export * from '../compliance';
export * from '../k8s';
