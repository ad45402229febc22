// The `cdk-compliant-ml/ecs` entry point (package.json `exports`): the platform-neutral types and the Amazon ECS (aws-cdk-lib)
// backend, without the Kubernetes modules, so an aws-cdk-only app needs no cdk8s or cdk8s-plus-27 installed. core/ and
// compliance/ import neither framework; the ECS backend plugs its report collector into compliance/collector.ts when it loads.
// The root (src/index.ts) keeps exporting both backends for jsii; this file is not part of the jsii assembly.
export * from '../core';
export * from '../compliance';
export * from '../ecs';
